#!/usr/bin/env bats
# The annual business survey (issue 12): questionnaires and rounds
# (admins), one answer per verified business per round, editable until
# the round closes and refused after, progress and aggregates (officials),
# the answers as RFC 4180 CSV with Vietnamese text and neutralised
# formula cells.  Every refusal leaves the database unchanged.
load helpers

setup_file() {
	local id tok m
	read -r id tok < <(new_role_account official)
	export OFF_TOK=$tok
	read -r id tok < <(new_role_account admin)
	export ADM_TOK=$tok
	read -r id tok < <(new_account "$(uniq_email buyer)")
	export BUYER_TOK=$tok
	m=$(new_merchant "HTX Khảo Sát A") || return 1
	read -r id tok biz _ <<<"$m"
	export MA_TOK=$tok MA_BIZ=$biz
	m=$(new_merchant "HTX Khảo Sát B") || return 1
	read -r id tok biz _ <<<"$m"
	export MB_TOK=$tok MB_BIZ=$biz
	# A business of A's owner still pending: it cannot answer.
	export MA_PENDING; MA_PENDING=$(new_business "$MA_TOK")
	TODAY=$(sql "SELECT api.today()")
	export TODAY
	local TOKEN=$ADM_TOK
	api POST /api/v1/admin/surveys "$(questionnaire_json)"
	[ "$code" = 201 ] || { echo "survey: $code $body" >&2; return 1; }
	export SURVEY; SURVEY=$(jq -r .id <<<"$body")
	export Q1 Q2 Q3 Q4
	read -r Q1 Q2 Q3 Q4 < <(jq -r '[.questions[].id] | map(tostring) | join(" ")' <<<"$body")
	api POST "/api/v1/admin/surveys/$SURVEY/rounds" \
	    "$(jq -nc --arg d "$TODAY" '{title:"Khảo sát TMĐT năm 2026",opens_on:$d,closes_on:$d}')"
	[ "$code" = 201 ] || { echo "round: $code $body" >&2; return 1; }
	export ROUND; ROUND=$(jq -r .id <<<"$body")
	# The businesses verified when the round opened: its targets.
	export TARGETED; TARGETED=$(sql "SELECT count(*) FROM san.businesses WHERE status = 'verified'")
	[ "$(jq -r .targeted <<<"$body")" = "$TARGETED" ] || { echo "targeted: $body" >&2; return 1; }
	[ -n "$Q4" ] && [ -n "$ROUND" ] && [ -n "$MA_PENDING" ]
}

questionnaire_json() {
	jq -nc '{title_vi:"Khảo sát ứng dụng thương mại điện tử", title_en:"E-commerce survey",
	    questions:[
	      {kind:"single", text_vi:"Doanh nghiệp có website bán hàng không?", required:true,
	       choices:[{vi:"Có",en:"Yes"},{vi:"Không",en:"No"}]},
	      {kind:"multiple", text_vi:"Kênh thanh toán đang dùng", text_en:"Payment channels",
	       choices:[{vi:"Tiền mặt"},{vi:"Chuyển khoản"},{vi:"Ví điện tử"}]},
	      {kind:"number", text_vi:"Số đơn hàng trực tuyến mỗi tháng", required:true},
	      {kind:"text", text_vi:"Khó khăn khi bán hàng trực tuyến"}]}'
}

# answer TOKEN BUSINESS ANSWERS: PUT the answer of BUSINESS to $ROUND.
answer() {
	local TOKEN=$1
	api PUT "/api/v1/survey-rounds/$ROUND/answer" \
	    "$(jq -nc --argjson b "$2" --argjson a "$3" '{business_id:$b, answers:$a}')"
}

@test "questionnaires: admins only; malformed questions refused with nothing saved" {
	local before
	before=$(snapshot)
	TOKEN=$OFF_TOK api POST /api/v1/admin/surveys "$(questionnaire_json)"
	assert_error 404 not_found
	TOKEN=$MA_TOK api POST /api/v1/admin/surveys "$(questionnaire_json)"
	assert_error 404 not_found
	TOKEN= api POST /api/v1/admin/surveys "$(questionnaire_json)"
	assert_error 401 unauthenticated
	TOKEN=$ADM_TOK api POST /api/v1/admin/surveys "$(questionnaire_json | jq -c 'del(.questions[0].choices)')"
	expect_error 400 choices_required 'questions[0].choices'
	TOKEN=$ADM_TOK api POST /api/v1/admin/surveys "$(questionnaire_json | jq -c '.questions[2].choices = [{vi:"a"}]')"
	expect_error 400 choices_not_allowed 'questions[2].choices'
	TOKEN=$ADM_TOK api POST /api/v1/admin/surveys "$(questionnaire_json | jq -c '.questions[0].required = "yes"')"
	expect_error 400 not_a_boolean 'questions[0].required'
	TOKEN=$ADM_TOK api POST /api/v1/admin/surveys "$(questionnaire_json | jq -c '.questions[1].kind = "scale"')"
	expect_error 400 invalid_choice 'questions[1].kind'
	TOKEN=$ADM_TOK api POST /api/v1/admin/surveys "$(questionnaire_json | jq -c '.questions = []')"
	expect_error 400 required questions
	TOKEN=$ADM_TOK api POST /api/v1/admin/surveys/999999999/rounds "{\"title\":\"x\",\"opens_on\":\"$TODAY\",\"closes_on\":\"$TODAY\"}"
	assert_error 404 survey_not_found
	TOKEN=$ADM_TOK api POST "/api/v1/admin/surveys/$SURVEY/rounds" '{"title":"x","opens_on":"2020-01-02","closes_on":"2020-01-01"}'
	expect_error 400 invalid_range closes_on
	TOKEN=$ADM_TOK api POST "/api/v1/admin/surveys/$SURVEY/rounds" '{"title":"x","opens_on":"2020-01-01","closes_on":"2020-02-01"}'
	expect_error 422 date_in_past closes_on
	TOKEN=$OFF_TOK api POST "/api/v1/admin/surveys/$SURVEY/rounds" "{\"title\":\"x\",\"opens_on\":\"$TODAY\",\"closes_on\":\"$TODAY\"}"
	assert_error 404 not_found
	assert_unchanged "$before"
}

@test "a member sees the open round, answers once, edits, and sees what was sent" {
	TOKEN=$MA_TOK api GET /api/v1/survey-rounds
	[ "$code" = 200 ]
	[ "$(jq -r --argjson r "$ROUND" --argjson b "$MA_BIZ" '.items[] | select(.id == $r) | .businesses[] | select(.business_id == $b) | .answered' <<<"$body")" = false ]
	# The pending business is not listed.
	[ "$(jq -r --argjson r "$ROUND" --argjson b "$MA_PENDING" '[.items[] | select(.id == $r) | .businesses[] | select(.business_id == $b)] | length' <<<"$body")" = 0 ]
	answer "$MA_TOK" "$MA_BIZ" "[{\"question_id\":$Q1,\"choice\":0},{\"question_id\":$Q2,\"choice\":1},{\"question_id\":$Q2,\"choice\":2},{\"question_id\":$Q3,\"number\":40},{\"question_id\":$Q4,\"text\":\"Thiếu nhân lực\"}]"
	[ "$code" = 201 ] || { echo "$code $body"; return 1; }
	# Edited: another number, the text dropped.
	answer "$MA_TOK" "$MA_BIZ" "[{\"question_id\":$Q1,\"choice\":0},{\"question_id\":$Q2,\"choice\":1},{\"question_id\":$Q3,\"number\":55},{\"question_id\":$Q4,\"text\":\"=HYPERLINK(\\\"x\\\")\"}]"
	[ "$code" = 200 ] || { echo "$code $body"; return 1; }
	[ "$(sql "SELECT count(*) FROM san.survey_responses WHERE round_id = $ROUND AND business_id = $MA_BIZ")" = 1 ]
	TOKEN=$MA_TOK api GET "/api/v1/survey-rounds/$ROUND/answer?business_id=$MA_BIZ"
	[ "$code" = 200 ]
	[ "$(jq -c --arg q1 "$Q1" --arg q2 "$Q2" --arg q3 "$Q3" '[.answers[$q1], .answers[$q2], .answers[$q3]]' <<<"$body")" = '[0,[1],55]' ]
	[ "$(jq -r '.questions | length' <<<"$body")" = 4 ]
	TOKEN=$MA_TOK api GET /api/v1/survey-rounds
	[ "$(jq -r --argjson r "$ROUND" --argjson b "$MA_BIZ" '.items[] | select(.id == $r) | .businesses[] | select(.business_id == $b) | .answered' <<<"$body")" = true ]
}

@test "concurrent answers of one business make one row" {
	local i pids=()
	for i in 1 2 3 4 5 6; do
		( answer "$MB_TOK" "$MB_BIZ" "[{\"question_id\":$Q1,\"choice\":1},{\"question_id\":$Q3,\"number\":$i}]"
		  echo "$code" >"$BATS_TEST_TMPDIR/c$i" ) &
		pids+=($!)
	done
	wait "${pids[@]}"
	[ "$(cat "$BATS_TEST_TMPDIR"/c* | sort | uniq -c | awk '{print $2}' | sort | tr '\n' ' ')" = "200 201 " ]
	[ "$(sql "SELECT count(*) FROM san.survey_responses WHERE round_id = $ROUND AND business_id = $MB_BIZ")" = 1 ]
}

@test "answers that do not fit, and strangers, are refused with nothing saved" {
	local before
	before=$(snapshot)
	answer "$MA_TOK" "$MA_BIZ" "[{\"question_id\":$Q3,\"number\":5}]"
	expect_error 400 survey_answer_required answers
	answer "$MA_TOK" "$MA_BIZ" "[{\"question_id\":$Q1,\"choice\":2},{\"question_id\":$Q3,\"number\":5}]"
	expect_error 400 survey_answer_invalid 'answers[0].choice'
	answer "$MA_TOK" "$MA_BIZ" "[{\"question_id\":$Q1,\"text\":\"Có\"},{\"question_id\":$Q3,\"number\":5}]"
	expect_error 400 survey_answer_invalid 'answers[0].choice'
	answer "$MA_TOK" "$MA_BIZ" "[{\"question_id\":$Q1,\"choice\":0},{\"question_id\":$Q3,\"text\":\"năm\"}]"
	expect_error 400 survey_answer_invalid 'answers[1].number'
	answer "$MA_TOK" "$MA_BIZ" "[{\"question_id\":$Q1,\"choice\":0},{\"question_id\":$Q1,\"choice\":1},{\"question_id\":$Q3,\"number\":5}]"
	expect_error 400 survey_answer_duplicate 'answers[1].question_id'
	answer "$MA_TOK" "$MA_BIZ" "[{\"question_id\":$Q1,\"choice\":0},{\"question_id\":$Q2,\"choice\":1},{\"question_id\":$Q2,\"choice\":1},{\"question_id\":$Q3,\"number\":5}]"
	expect_error 400 survey_answer_duplicate 'answers[2].choice'
	answer "$MA_TOK" "$MA_BIZ" "[{\"question_id\":999999999,\"choice\":0}]"
	expect_error 400 survey_question_unknown 'answers[0].question_id'
	answer "$MA_TOK" "$MA_BIZ" "[{\"question_id\":$Q1,\"choice\":\"0\"}]"
	expect_error 400 not_an_integer 'answers[0].choice'
	# Someone else's business, a pending one, a buyer, nobody.
	answer "$MB_TOK" "$MA_BIZ" "[{\"question_id\":$Q1,\"choice\":0},{\"question_id\":$Q3,\"number\":5}]"
	assert_error 404 survey_round_not_found
	answer "$MA_TOK" "$MA_PENDING" "[{\"question_id\":$Q1,\"choice\":0},{\"question_id\":$Q3,\"number\":5}]"
	assert_error 404 survey_round_not_found
	answer "$BUYER_TOK" "$MA_BIZ" "[{\"question_id\":$Q1,\"choice\":0},{\"question_id\":$Q3,\"number\":5}]"
	assert_error 404 survey_round_not_found
	answer "" "$MA_BIZ" "[{\"question_id\":$Q1,\"choice\":0},{\"question_id\":$Q3,\"number\":5}]"
	assert_error 401 unauthenticated
	TOKEN=$MB_TOK api GET "/api/v1/survey-rounds/$ROUND/answer?business_id=$MA_BIZ"
	assert_error 404 survey_round_not_found
	assert_unchanged "$before"
}

@test "officials see progress and aggregates per question; the answers as CSV" {
	TOKEN=$MA_TOK api GET "/api/v1/official/survey-rounds/$ROUND"
	assert_error 404 not_found
	TOKEN=$OFF_TOK api GET "/api/v1/official/survey-rounds/$ROUND"
	[ "$code" = 200 ] || { echo "$code $body"; return 1; }
	[ "$(jq -r '"\(.answered) \(.targeted)"' <<<"$body")" = "2 $TARGETED" ]
	# Q1: A chose "Có", B "Không"; Q2: A chose "Chuyển khoản"; Q3: 55 and 1..6.
	[ "$(jq -c '.questions[0].choices | map(.count)' <<<"$body")" = '[1,1]' ]
	[ "$(jq -c '.questions[1].choices | map(.count)' <<<"$body")" = '[0,1,0]' ]
	[ "$(jq -r '.questions[2].numbers | "\(.count) \(.max)"' <<<"$body")" = "2 55" ]
	[ "$(jq -r '.questions[3].answered' <<<"$body")" = 1 ]
	TOKEN=$OFF_TOK api GET /api/v1/official/surveys
	[ "$(jq -r --argjson r "$ROUND" '.items[].rounds[] | select(.id == $r) | "\(.answered) \(.state)"' <<<"$body")" = "2 open" ]
	TOKEN=$ADM_TOK api GET "/api/v1/official/survey-rounds/$ROUND/answers.csv"
	[ "$code" = 200 ]
	[[ "$(header content-type)" == text/csv* ]]
	[ "$(head -1 <<<"$body")" = $'tax_code,business,kind,province,ward,updated_at,"1. Doanh nghiệp có website bán hàng không?","2. Kênh thanh toán đang dùng","3. Số đơn hàng trực tuyến mỗi tháng","4. Khó khăn khi bán hàng trực tuyến"\r' ]
	grep -F '"HTX Khảo Sát A"' <<<"$body" | grep -qF $',"Có","Chuyển khoản","55","\'=HYPERLINK(""x"")"\r' || { echo "$body"; return 1; }
	[ "$(wc -l <<<"$body")" = 3 ]
}

@test "a round's targets are frozen when it opens: a business verified later is not targeted, cannot answer, and does not change progress" {
	local m tok biz before
	m=$(new_merchant "HTX Khảo Sát Muộn") || return 1
	read -r _ tok biz _ <<<"$m"
	# More businesses are verified now than the round targets.
	[ "$(sql "SELECT count(*) FROM san.businesses WHERE status = 'verified'")" -gt "$TARGETED" ]
	TOKEN=$OFF_TOK api GET "/api/v1/official/survey-rounds/$ROUND"
	[ "$(jq -r .targeted <<<"$body")" = "$TARGETED" ]
	TOKEN=$OFF_TOK api GET /api/v1/official/surveys
	[ "$(jq -r --argjson r "$ROUND" '.items[].rounds[] | select(.id == $r) | .targeted' <<<"$body")" = "$TARGETED" ]
	TOKEN=$tok api GET /api/v1/survey-rounds
	[ "$(jq -r --argjson r "$ROUND" '[.items[] | select(.id == $r)] | length' <<<"$body")" = 0 ]
	before=$(snapshot)
	answer "$tok" "$biz" "[{\"question_id\":$Q1,\"choice\":0},{\"question_id\":$Q3,\"number\":3}]"
	assert_error 404 survey_round_not_found
	TOKEN=$tok api GET "/api/v1/survey-rounds/$ROUND/answer?business_id=$biz"
	assert_error 404 survey_round_not_found
	assert_unchanged "$before"
}

@test "a round of a sample: sample_size random verified businesses are targeted (all when fewer); bad sizes refused" {
	local r n before
	n=$(sql "SELECT count(*) FROM san.businesses WHERE status = 'verified'")
	TOKEN=$ADM_TOK api POST "/api/v1/admin/surveys/$SURVEY/rounds" \
	    "$(jq -nc --arg d "$TODAY" '{title:"Mẫu 3",opens_on:$d,closes_on:$d,sample_size:3}')"
	[ "$code" = 201 ] || { echo "$code $body"; return 1; }
	[ "$(jq -r '"\(.sample_size) \(.targeted)"' <<<"$body")" = "3 3" ]
	r=$(jq -r .id <<<"$body")
	[ "$(sql "SELECT count(*) FROM san.survey_targets t JOIN san.businesses b ON b.id = t.business_id
		WHERE t.round_id = $r AND b.status = 'verified'")" = 3 ]
	TOKEN=$OFF_TOK api GET "/api/v1/official/survey-rounds/$r"
	[ "$(jq -r '"\(.answered) \(.targeted) \(.round.sample_size)"' <<<"$body")" = "0 3 3" ]
	[ "$(sql "SELECT detail->>'targeted' FROM san.audit_log WHERE action = 'survey_round_open' AND object_id = '$r'")" = 3 ]
	# A sample larger than the floor: every verified business.
	TOKEN=$ADM_TOK api POST "/api/v1/admin/surveys/$SURVEY/rounds" \
	    "$(jq -nc --arg d "$TODAY" '{title:"Mẫu lớn",opens_on:$d,closes_on:$d,sample_size:100000}')"
	[ "$code" = 201 ]
	[ "$(jq -r .targeted <<<"$body")" = "$n" ]
	before=$(snapshot)
	for x in 0 -1 100001 '"ba"'; do
		TOKEN=$ADM_TOK api POST "/api/v1/admin/surveys/$SURVEY/rounds" \
		    "$(jq -nc --arg d "$TODAY" --argjson x "$x" '{title:"Sai",opens_on:$d,closes_on:$d,sample_size:$x}')"
		[ "$code" = 400 ] && [ "$(jq -r .error.field <<<"$body")" = sample_size ] || { echo "$x: $code $body"; return 1; }
	done
	assert_unchanged "$before"
}

@test "a closed round takes no answer and no edit; what was sent stays visible" {
	local before
	TOKEN=$OFF_TOK api POST "/api/v1/admin/survey-rounds/$ROUND/close"
	assert_error 404 not_found
	TOKEN=$ADM_TOK api POST "/api/v1/admin/survey-rounds/$ROUND/close"
	[ "$code" = 200 ]
	[ "$(jq -r .state <<<"$body")" = closed ]
	before=$(snapshot)
	answer "$MA_TOK" "$MA_BIZ" "[{\"question_id\":$Q1,\"choice\":1},{\"question_id\":$Q3,\"number\":1}]"
	assert_error 409 survey_round_closed
	TOKEN=$ADM_TOK api POST "/api/v1/admin/survey-rounds/$ROUND/close"
	assert_error 409 survey_round_closed
	assert_unchanged "$before"
	TOKEN=$MA_TOK api GET "/api/v1/survey-rounds/$ROUND/answer?business_id=$MA_BIZ"
	[ "$code" = 200 ]
	[ "$(jq -r --arg q "$Q3" '.answers[$q]' <<<"$body")" = 55 ]
	TOKEN=$MA_TOK api GET /api/v1/survey-rounds
	[ "$(jq -r --argjson r "$ROUND" '[.items[] | select(.id == $r)] | length' <<<"$body")" = 0 ]
	[ "$(sql "SELECT count(*) FROM san.audit_log WHERE action = 'survey_round_close' AND object_id = '$ROUND'")" = 1 ]
}

@test "a round not open yet takes no answer" {
	local r before tomorrow
	tomorrow=$(sql "SELECT api.today() + 1")
	TOKEN=$ADM_TOK api POST "/api/v1/admin/surveys/$SURVEY/rounds" \
	    "$(jq -nc --arg d "$tomorrow" '{title:"Đợt sau",opens_on:$d,closes_on:$d}')"
	[ "$code" = 201 ]
	[ "$(jq -r .state <<<"$body")" = scheduled ]
	r=$(jq -r .id <<<"$body")
	before=$(snapshot)
	TOKEN=$MA_TOK api PUT "/api/v1/survey-rounds/$r/answer" \
	    "{\"business_id\":$MA_BIZ,\"answers\":[{\"question_id\":$Q1,\"choice\":1},{\"question_id\":$Q3,\"number\":1}]}"
	assert_error 409 survey_round_closed
	assert_unchanged "$before"
}
