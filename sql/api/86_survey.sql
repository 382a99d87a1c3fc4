-- The annual business survey (tables in sql/009_stats.sql, targets in
-- sql/022): admins write questionnaires and open and close rounds, each
-- round targeting the businesses verified when it opened or a random
-- sample of them; members of a targeted business answer once per round
-- and edit until it closes; officials see progress (targeted businesses
-- that answered / targeted), per-question aggregates and the answers as
-- CSV.

-- Is round r taking answers now (Vietnam dates, not closed)?
CREATE FUNCTION api.survey_round_open(r san.survey_rounds) RETURNS boolean
LANGUAGE sql STABLE
AS $$ SELECT r.closed_at IS NULL AND api.today() BETWEEN r.opens_on
	AND r.closes_on $$;

CREATE FUNCTION api.survey_round_state(r san.survey_rounds) RETURNS text
LANGUAGE sql STABLE
AS $$ SELECT CASE WHEN r.closed_at IS NOT NULL OR api.today() > r.closes_on
	THEN 'closed' WHEN api.today() < r.opens_on THEN 'scheduled'
	ELSE 'open' END $$;

CREATE FUNCTION api.survey_questions_json(p_questionnaire bigint)
RETURNS json
LANGUAGE sql STABLE
AS $$
	SELECT COALESCE(json_agg(json_build_object('id', q.id,
	    'position', q.position, 'kind', q.kind, 'text_vi', q.text_vi,
	    'text_en', q.text_en, 'required', q.required,
	    'choices', q.choices) ORDER BY q.position), '[]')
	  FROM san.survey_questions q WHERE q.questionnaire_id = p_questionnaire
$$;

CREATE FUNCTION api.survey_round_json(r san.survey_rounds) RETURNS json
LANGUAGE sql STABLE
AS $$
	SELECT json_build_object('id', r.id,
	    'questionnaire_id', r.questionnaire_id, 'title', r.title,
	    'sample_size', r.sample_size,
	    'opens_on', r.opens_on, 'closes_on', r.closes_on,
	    'closed_at', r.closed_at, 'state', api.survey_round_state(r))
$$;

/*
 * POST /api/v1/admin/surveys {title_vi, title_en?, questions: [{kind,
 * text_vi, text_en?, required?, choices?: [{vi, en?}]}]}: a questionnaire
 * (admins).  Choice questions need 2..20 choices, others none.
 */
CREATE FUNCTION api.survey_create(p_token_hash text, p_body jsonb)
RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_id	bigint;
	v_q	jsonb;
	v_i	int := 0;
	v_kind	text;
	v_n	int;
BEGIN
	IF NOT api.has_role(v_me, 'admin') THEN
		RETURN api.not_found(v_me, 'not_found');
	END IF;
	FOR v_q IN SELECT * FROM jsonb_array_elements(p_body->'questions') LOOP
		v_kind := v_q->>'kind';
		v_n := COALESCE(jsonb_array_length(v_q->'choices'), 0);
		IF v_kind IN ('single', 'multiple') AND v_n < 2 THEN
			RETURN api.err(400, 'choices_required',
			    format('questions[%s].choices', v_i));
		ELSIF v_kind IN ('number', 'text') AND v_n > 0 THEN
			RETURN api.err(400, 'choices_not_allowed',
			    format('questions[%s].choices', v_i));
		END IF;
		v_i := v_i + 1;
	END LOOP;
	INSERT INTO san.survey_questionnaires (title_vi, title_en, created_by)
	VALUES (api.txt(p_body, 'title_vi'), api.txt(p_body, 'title_en'), v_me)
	RETURNING id INTO v_id;
	INSERT INTO san.survey_questions (questionnaire_id, position, kind,
	    text_vi, text_en, required, choices)
	SELECT v_id, q.n, q.v->>'kind', api.txt(q.v, 'text_vi'),
	    api.txt(q.v, 'text_en'), COALESCE((q.v->>'required')::boolean,
	    false), COALESCE((SELECT jsonb_agg(jsonb_build_object(
		'vi', api.txt(c, 'vi'), 'en', api.txt(c, 'en')) ORDER BY cn)
		FROM jsonb_array_elements(q.v->'choices') WITH ORDINALITY
		    AS x(c, cn)), '[]')
	  FROM jsonb_array_elements(p_body->'questions') WITH ORDINALITY
	      AS q(v, n);
	PERFORM api.audit(v_me, 'survey_create', 'survey_questionnaire',
	    v_id::text);
	RETURN api.ok(201, json_build_object('id', v_id,
	    'title_vi', api.txt(p_body, 'title_vi'),
	    'title_en', api.txt(p_body, 'title_en'),
	    'questions', api.survey_questions_json(v_id)));
END $$;

-- How many businesses round p_round targets (frozen when it opened).
CREATE FUNCTION api.survey_targeted(p_round bigint) RETURNS bigint
LANGUAGE sql STABLE
AS $$ SELECT count(*) FROM san.survey_targets WHERE round_id = p_round $$;

-- How many of them have answered.
CREATE FUNCTION api.survey_answered(p_round bigint) RETURNS bigint
LANGUAGE sql STABLE
AS $$ SELECT count(*) FROM san.survey_responses x
	JOIN san.survey_targets t ON t.round_id = x.round_id
	 AND t.business_id = x.business_id
	WHERE x.round_id = p_round $$;

/*
 * GET /api/v1/official/surveys: every questionnaire with its questions
 * and rounds, each round with its progress (officials, admins).
 */
CREATE FUNCTION api.survey_list(p_token_hash text) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me		bigint := api.session_account(p_token_hash);
BEGIN
	IF NOT api.is_official(v_me) THEN
		RETURN api.not_found(v_me, 'not_found');
	END IF;
	RETURN api.ok(200, json_build_object('items', COALESCE((SELECT
	    json_agg(json_build_object('id', s.id, 'title_vi', s.title_vi,
		'title_en', s.title_en, 'created_at', s.created_at,
		'questions', api.survey_questions_json(s.id),
		'rounds', COALESCE((SELECT json_agg(
		    (api.survey_round_json(r)::jsonb || jsonb_build_object(
		    'targeted', api.survey_targeted(r.id),
		    'answered', api.survey_answered(r.id)))
		    ORDER BY r.id DESC)
		    FROM san.survey_rounds r WHERE r.questionnaire_id = s.id),
		    '[]')) ORDER BY s.id DESC)
	      FROM san.survey_questionnaires s), '[]')));
END $$;

/*
 * POST /api/v1/admin/surveys/{id}/rounds {title, opens_on, closes_on,
 * sample_size?}: a round of questionnaire id (admins).  closes_on not
 * before opens_on nor in the past.  The businesses it targets are frozen
 * now: every verified business, or a random sample_size of them (all
 * when there are fewer; Tây Ninh's plan surveys 250–300).
 */
CREATE FUNCTION api.survey_round_create(p_token_hash text, p_id bigint,
    p_body jsonb) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_r	san.survey_rounds;
BEGIN
	IF NOT api.has_role(v_me, 'admin') THEN
		RETURN api.not_found(v_me, 'not_found');
	END IF;
	PERFORM 1 FROM san.survey_questionnaires WHERE id = p_id;
	IF NOT FOUND THEN
		RETURN api.err(404, 'survey_not_found');
	END IF;
	IF (p_body->>'closes_on')::date < (p_body->>'opens_on')::date THEN
		RETURN api.err(400, 'invalid_range', 'closes_on');
	END IF;
	IF (p_body->>'closes_on')::date < api.today() THEN
		RETURN api.err(422, 'date_in_past', 'closes_on');
	END IF;
	INSERT INTO san.survey_rounds (questionnaire_id, title, opens_on,
	    closes_on, opened_by, sample_size)
	VALUES (p_id, api.txt(p_body, 'title'), (p_body->>'opens_on')::date,
	    (p_body->>'closes_on')::date, v_me,
	    (p_body->>'sample_size')::int)
	RETURNING * INTO v_r;
	INSERT INTO san.survey_targets (round_id, business_id)
	SELECT v_r.id, b.id FROM san.businesses b
	 WHERE b.status = 'verified'
	 ORDER BY random() LIMIT v_r.sample_size;
	PERFORM api.audit(v_me, 'survey_round_open', 'survey_round',
	    v_r.id::text, jsonb_build_object('opens_on', v_r.opens_on,
	    'closes_on', v_r.closes_on, 'sample_size', v_r.sample_size,
	    'targeted', api.survey_targeted(v_r.id)));
	RETURN api.ok(201, (api.survey_round_json(v_r)::jsonb ||
	    jsonb_build_object('targeted', api.survey_targeted(v_r.id)))::json);
END $$;

-- POST /api/v1/admin/survey-rounds/{id}/close: no answers after (admins).
CREATE FUNCTION api.survey_round_close(p_token_hash text, p_id bigint)
RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_r	san.survey_rounds;
BEGIN
	IF NOT api.has_role(v_me, 'admin') THEN
		RETURN api.not_found(v_me, 'not_found');
	END IF;
	SELECT * INTO v_r FROM san.survey_rounds WHERE id = p_id FOR UPDATE;
	IF NOT FOUND THEN
		RETURN api.err(404, 'survey_round_not_found');
	END IF;
	IF v_r.closed_at IS NOT NULL THEN
		RETURN api.err(409, 'survey_round_closed');
	END IF;
	UPDATE san.survey_rounds SET closed_at = now() WHERE id = p_id
	RETURNING * INTO v_r;
	PERFORM api.audit(v_me, 'survey_round_close', 'survey_round',
	    p_id::text);
	RETURN api.ok(200, api.survey_round_json(v_r));
END $$;

/*
 * GET /api/v1/survey-rounds: the rounds open now with their questions,
 * and for each verified business the caller acts for that the round
 * targets, whether it has answered (members; others get an empty list).
 */
CREATE FUNCTION api.survey_open_rounds(p_token_hash text) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
BEGIN
	IF v_me IS NULL THEN
		RETURN api.unauthenticated();
	END IF;
	RETURN api.ok(200, json_build_object('items', COALESCE((SELECT
	    json_agg(api.survey_round_json(r)::jsonb || jsonb_build_object(
		'questions', api.survey_questions_json(r.questionnaire_id),
		'businesses', COALESCE((SELECT jsonb_agg(jsonb_build_object(
		    'business_id', b.id, 'name', b.name,
		    'answered', EXISTS (SELECT 1 FROM san.survey_responses x
			WHERE x.round_id = r.id AND x.business_id = b.id))
		    ORDER BY b.id)
		  FROM san.businesses b JOIN san.business_members m
		    ON m.business_id = b.id
		  JOIN san.survey_targets t ON t.business_id = b.id
		   AND t.round_id = r.id
		 WHERE m.account_id = v_me AND b.status = 'verified'), '[]'))
		ORDER BY r.id)
	      FROM san.survey_rounds r
	     WHERE api.survey_round_open(r)
	       AND EXISTS (SELECT 1 FROM san.businesses b
		   JOIN san.business_members m ON m.business_id = b.id
		   JOIN san.survey_targets t ON t.business_id = b.id
		    AND t.round_id = r.id
		  WHERE m.account_id = v_me AND b.status = 'verified')), '[]')));
END $$;

-- The round p_round when p_me acts for the verified business p_business
-- and the round targets it, else NULL (not found, not theirs, or not
-- targeted: the same answer).
CREATE FUNCTION api.survey_member_round(p_me bigint, p_round bigint,
    p_business bigint) RETURNS san.survey_rounds
LANGUAGE sql STABLE
AS $$
	SELECT r.* FROM san.survey_rounds r
	 WHERE r.id = p_round AND EXISTS (SELECT 1 FROM san.businesses b
	    JOIN san.business_members m ON m.business_id = b.id
	   WHERE b.id = p_business AND m.account_id = p_me
	     AND b.status = 'verified')
	   AND EXISTS (SELECT 1 FROM san.survey_targets t
	   WHERE t.round_id = r.id AND t.business_id = p_business)
$$;

/*
 * GET /api/v1/survey-rounds/{id}/answer?business_id=: what the business
 * sent (members of it), with the round and its questions.
 */
CREATE FUNCTION api.survey_answer_get(p_token_hash text, p_round bigint,
    p_business bigint) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_r	san.survey_rounds := api.survey_member_round(v_me, p_round,
		    p_business);
	v_x	san.survey_responses;
BEGIN
	IF v_r.id IS NULL THEN
		RETURN api.not_found(v_me, 'survey_round_not_found');
	END IF;
	SELECT * INTO v_x FROM san.survey_responses
	 WHERE round_id = v_r.id AND business_id = p_business;
	RETURN api.ok(200, json_build_object('round', api.survey_round_json(v_r),
	    'questions', api.survey_questions_json(v_r.questionnaire_id),
	    'business_id', p_business, 'answers', v_x.answers,
	    'submitted_at', v_x.submitted_at, 'updated_at', v_x.updated_at));
END $$;

/*
 * PUT /api/v1/survey-rounds/{id}/answer {business_id, answers: [{
 * question_id, choice?, number?, text?}]}: the business's answer, whole
 * (members of a verified business, while the round is open).  A multiple
 * choice question is answered by one entry per chosen choice.  Every
 * required question needs an answer; a value must fit its question.
 */
CREATE FUNCTION api.survey_answer_put(p_token_hash text, p_round bigint,
    p_body jsonb) RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me		bigint := api.session_account(p_token_hash);
	v_business	bigint := (p_body->>'business_id')::bigint;
	v_r		san.survey_rounds := api.survey_member_round(v_me,
			    p_round, v_business);
	v_q		san.survey_questions;
	v_a		jsonb;
	v_i		int := 0;
	v_answers	jsonb := '{}';
	v_key		text;
	v_x		san.survey_responses;
	v_status	int := 200;
BEGIN
	IF v_r.id IS NULL THEN
		RETURN api.not_found(v_me, 'survey_round_not_found');
	END IF;
	-- Lock the round: a close waits for this answer or comes first.
	SELECT * INTO v_r FROM san.survey_rounds WHERE id = v_r.id FOR SHARE;
	IF NOT api.survey_round_open(v_r) THEN
		RETURN api.err(409, 'survey_round_closed');
	END IF;
	FOR v_a IN SELECT * FROM jsonb_array_elements(p_body->'answers') LOOP
		SELECT * INTO v_q FROM san.survey_questions
		 WHERE id = (v_a->>'question_id')::bigint
		   AND questionnaire_id = v_r.questionnaire_id;
		IF NOT FOUND THEN
			RETURN api.err(400, 'survey_question_unknown',
			    format('answers[%s].question_id', v_i));
		END IF;
		v_key := v_q.id::text;
		IF v_q.kind IN ('single', 'multiple') AND (NOT v_a ? 'choice'
		    OR (v_a->>'choice')::int >= jsonb_array_length(v_q.choices)
		    OR v_a ? 'number' OR v_a ? 'text') THEN
			RETURN api.err(400, 'survey_answer_invalid',
			    format('answers[%s].choice', v_i));
		ELSIF v_q.kind = 'number' AND (NOT v_a ? 'number'
		    OR v_a ? 'choice' OR v_a ? 'text') THEN
			RETURN api.err(400, 'survey_answer_invalid',
			    format('answers[%s].number', v_i));
		ELSIF v_q.kind = 'text' AND (NOT v_a ? 'text'
		    OR v_a ? 'choice' OR v_a ? 'number') THEN
			RETURN api.err(400, 'survey_answer_invalid',
			    format('answers[%s].text', v_i));
		END IF;
		IF v_q.kind = 'multiple' THEN
			IF v_answers->v_key @> (v_a->'choice') THEN
				RETURN api.err(400, 'survey_answer_duplicate',
				    format('answers[%s].choice', v_i));
			END IF;
			v_answers := jsonb_set(v_answers, ARRAY[v_key],
			    COALESCE(v_answers->v_key, '[]') ||
			    jsonb_build_array((v_a->>'choice')::int));
		ELSIF v_answers ? v_key THEN
			RETURN api.err(400, 'survey_answer_duplicate',
			    format('answers[%s].question_id', v_i));
		ELSE
			v_answers := v_answers || jsonb_build_object(v_key,
			    CASE v_q.kind WHEN 'single' THEN v_a->'choice'
				WHEN 'number' THEN v_a->'number'
				ELSE to_jsonb(api.txt(v_a, 'text')) END);
		END IF;
		v_i := v_i + 1;
	END LOOP;
	SELECT * INTO v_q FROM san.survey_questions q
	 WHERE q.questionnaire_id = v_r.questionnaire_id AND q.required
	   AND NOT v_answers ? q.id::text ORDER BY q.position LIMIT 1;
	IF FOUND THEN
		RETURN api.err_details(400, 'survey_answer_required',
		    json_build_object('question_id', v_q.id), 'answers');
	END IF;
	INSERT INTO san.survey_responses AS x (round_id, business_id, answers,
	    submitted_by)
	VALUES (v_r.id, v_business, v_answers, v_me)
	ON CONFLICT (round_id, business_id) DO UPDATE SET
	    answers = EXCLUDED.answers, submitted_by = EXCLUDED.submitted_by,
	    updated_at = now()
	RETURNING * INTO v_x;
	IF v_x.submitted_at = v_x.updated_at THEN
		v_status := 201;
	END IF;
	RETURN api.ok(v_status, json_build_object('round_id', v_r.id,
	    'business_id', v_business, 'answers', v_x.answers,
	    'submitted_at', v_x.submitted_at, 'updated_at', v_x.updated_at));
END $$;

/*
 * GET /api/v1/official/survey-rounds/{id}: progress (targeted: the
 * businesses frozen when the round opened; answered: those of them that
 * answered) and per question: choice counts, or count, min,
 * max, mean and median of numbers, or how many texts (officials, admins).
 */
CREATE FUNCTION api.survey_results(p_token_hash text, p_round bigint)
RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_r	san.survey_rounds;
BEGIN
	IF NOT api.is_official(v_me) THEN
		RETURN api.not_found(v_me, 'not_found');
	END IF;
	SELECT * INTO v_r FROM san.survey_rounds WHERE id = p_round;
	IF NOT FOUND THEN
		RETURN api.err(404, 'survey_round_not_found');
	END IF;
	RETURN api.ok(200, json_build_object(
	    'round', api.survey_round_json(v_r),
	    'targeted', api.survey_targeted(v_r.id),
	    'answered', api.survey_answered(v_r.id),
	    'questions', (SELECT COALESCE(json_agg(json_build_object(
		'id', q.id, 'position', q.position, 'kind', q.kind,
		'text_vi', q.text_vi, 'text_en', q.text_en,
		'answered', (SELECT count(*) FROM san.survey_responses x
		    WHERE x.round_id = v_r.id AND x.answers ? q.id::text),
		'choices', CASE WHEN q.kind IN ('single', 'multiple') THEN
		    (SELECT json_agg(json_build_object('vi', c.v->>'vi',
			'en', c.v->>'en', 'count', (SELECT count(*)
			FROM san.survey_responses x
			WHERE x.round_id = v_r.id AND (x.answers->q.id::text =
			    to_jsonb(c.n - 1) OR x.answers->q.id::text @>
			    jsonb_build_array(c.n - 1)))) ORDER BY c.n)
		      FROM jsonb_array_elements(q.choices) WITH ORDINALITY
			  AS c(v, n)) END,
		'numbers', CASE WHEN q.kind = 'number' THEN
		    (SELECT json_build_object('count', count(*),
			'min', min(v), 'max', max(v), 'mean', round(avg(v), 2),
			'median', percentile_cont(0.5) WITHIN GROUP
			    (ORDER BY v))
		      FROM (SELECT (x.answers->>q.id::text)::numeric AS v
			FROM san.survey_responses x
			WHERE x.round_id = v_r.id AND x.answers ? q.id::text) n)
		    END) ORDER BY q.position), '[]')
	      FROM san.survey_questions q
	     WHERE q.questionnaire_id = v_r.questionnaire_id)));
END $$;

-- A survey answer as CSV text: choice labels (Vietnamese) joined by "; ".
CREATE FUNCTION api.survey_answer_text(q san.survey_questions, a jsonb)
RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
	SELECT CASE WHEN a IS NULL THEN NULL
	    WHEN q.kind = 'single' THEN q.choices->((a#>>'{}')::int)->>'vi'
	    WHEN q.kind = 'multiple' THEN (SELECT string_agg(
		q.choices->(e::int)->>'vi', '; ' ORDER BY e::int)
		FROM jsonb_array_elements_text(a) e)
	    ELSE a#>>'{}' END
$$;

/*
 * GET /api/v1/official/survey-rounds/{id}/answers.csv: one line per
 * answering business (tax code, name, kind, province, ward, when), one
 * column per question (officials, admins).  RFC 4180, formula cells
 * neutralised (api.csv).
 */
CREATE FUNCTION api.survey_answers_csv(p_token_hash text, p_round bigint)
RETURNS api.result
LANGUAGE plpgsql
AS $$
DECLARE
	v_me	bigint := api.session_account(p_token_hash);
	v_r	san.survey_rounds;
BEGIN
	IF NOT api.is_official(v_me) THEN
		RETURN api.not_found(v_me, 'not_found');
	END IF;
	SELECT * INTO v_r FROM san.survey_rounds WHERE id = p_round;
	IF NOT FOUND THEN
		RETURN api.err(404, 'survey_round_not_found');
	END IF;
	RETURN (200, array_to_string(ARRAY['tax_code', 'business', 'kind',
	    'province', 'ward', 'updated_at'] || (SELECT
		COALESCE(array_agg(api.csv(q.position || '. ' || q.text_vi)
		ORDER BY q.position), '{}')
	      FROM san.survey_questions q
	     WHERE q.questionnaire_id = v_r.questionnaire_id), ',') ||
	    E'\r\n' ||
	    COALESCE((SELECT string_agg(array_to_string(ARRAY[
		api.csv(b.tax_code), api.csv(b.name), api.csv(b.kind),
		api.csv(b.province), api.csv(b.ward),
		api.csv(to_char(x.updated_at AT TIME ZONE
		    'Asia/Ho_Chi_Minh', 'YYYY-MM-DD HH24:MI'))] ||
		(SELECT COALESCE(array_agg(api.csv(
		    api.survey_answer_text(q, x.answers->q.id::text))
		    ORDER BY q.position), '{}')
		  FROM san.survey_questions q
		 WHERE q.questionnaire_id = v_r.questionnaire_id), ',') ||
		E'\r\n',
		'' ORDER BY b.tax_code)
	      FROM san.survey_responses x
	      JOIN san.businesses b ON b.id = x.business_id
	     WHERE x.round_id = v_r.id), ''), NULL, NULL)::api.result;
END $$;
