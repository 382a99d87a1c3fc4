/*
 * The annual survey.  Merchants (/thong-ke/khao-sat): the rounds open for
 * their verified businesses, one form per business, prefilled with what
 * it sent (GET /survey-rounds, GET/PUT /survey-rounds/{id}/answer).
 * Admins (/thong-ke/khao-sat/quan-tri): questionnaires, rounds (open,
 * close), progress, per-question results and the answers as CSV
 * (/admin/surveys…, /official/surveys, /official/survey-rounds/{id}).
 */
import { useEffect, useState } from 'preact/hooks';
import { html, useTitle, useGet, Async, FormError, Field, useForm } from '../../ui.js';
import { api, get } from '../../api.js';
import { lang } from '../../i18n.js';
import { s } from './strings.js';

const qtext = (q) => (lang.get() === 'en' && q.text_en ? q.text_en : q.text_vi);
const ctext = (c) => (lang.get() === 'en' && c.en ? c.en : c.vi);

function Question({ q, value, onChange, err }) {
	const id = 'q' + q.id;
	const label = html`${q.position}. ${qtext(q)}${q.required ? html` <span class="muted">(${s('required')})</span>` : ''}`;
	if (q.kind === 'single' || q.kind === 'multiple') {
		const multi = q.kind === 'multiple';
		const chosen = multi ? (value || []) : [value];
		return html`<fieldset class=${'field' + (err ? ' has-error' : '')} id=${id}>
			<legend>${label}</legend>
			${q.choices.map((c, i) => html`<label class="choice">
				<input type=${multi ? 'checkbox' : 'radio'} name=${id} checked=${chosen.includes(i)}
				    onChange=${(e) => onChange(multi
					? (e.currentTarget.checked ? [...chosen, i] : chosen.filter((x) => x !== i))
					: i)} /> ${ctext(c)}</label>`)}
			${err && html`<p class="field-error">${err}</p>`}
		</fieldset>`;
	}
	return html`<div class=${'field' + (err ? ' has-error' : '')}>
		<label for=${id}>${label}</label>
		${q.kind === 'number'
		    ? html`<input id=${id} type="number" inputmode="numeric" step="1" value=${value ?? ''}
			onInput=${(e) => onChange(e.currentTarget.value === '' ? undefined : Number(e.currentTarget.value))} />`
		    : html`<textarea id=${id} rows="3" maxlength="2000" value=${value ?? ''}
			onInput=${(e) => onChange(e.currentTarget.value)}></textarea>`}
		${err && html`<p class="field-error">${err}</p>`}
	</div>`;
}

/* The body's answers list from {question id: value}. */
function answerList(questions, vals) {
	const out = [];
	for (const q of questions) {
		const v = vals[q.id];
		if (v === undefined || v === null || v === '' || (Array.isArray(v) && !v.length))
			continue;
		if (q.kind === 'multiple')
			v.forEach((c) => out.push({ question_id: q.id, choice: c }));
		else if (q.kind === 'single')
			out.push({ question_id: q.id, choice: v });
		else if (q.kind === 'number')
			out.push({ question_id: q.id, number: v });
		else
			out.push({ question_id: q.id, text: v });
	}
	return out;
}

function AnswerForm({ round, business }) {
	const [vals, setVals] = useState({});
	const [msg, setMsg] = useState(null);
	const [err, setErr] = useState(null);
	useEffect(() => {
		get(`/survey-rounds/${round.id}/answer?business_id=${business.business_id}`)
		    .then((d) => setVals(d.answers || {}), () => {});
	}, [round.id, business.business_id]);
	async function send(e) {
		e.preventDefault();
		setMsg(null);
		setErr(null);
		try {
			await api('PUT', `/survey-rounds/${round.id}/answer`,
			    { business_id: business.business_id, answers: answerList(round.questions, vals) });
			setMsg(s('survey_sent'));
		} catch (x) {
			setErr(x);
		}
	}
	return html`<form class="survey-form" onSubmit=${send}>
		<h3>${s('survey_for')} ${business.name}${business.answered ? html` <span class="muted">(${s('survey_answered')})</span>` : ''}</h3>
		${round.questions.map((q) => html`<${Question} key=${q.id} q=${q} value=${vals[q.id]}
		    onChange=${(v) => setVals((o) => ({ ...o, [q.id]: v }))} />`)}
		<${FormError} msg=${err && err.message} />
		${msg && html`<p class="alert" role="status">${msg}</p>`}
		<button type="submit" class="btn btn-primary">${s('survey_send')}</button>
	</form>`;
}

export function MerchantSurvey() {
	useTitle(s('survey'));
	const st = useGet('/survey-rounds');
	return html`<h1 tabindex="-1">${s('survey')}</h1>
		<${Async} state=${st}>${(d) => (d.items.length === 0
		    ? html`<p>${s('survey_none')}</p>`
		    : d.items.map((r) => html`<section key=${r.id}>
			<h2>${r.title}</h2>
			${r.businesses.map((b) => html`<${AnswerForm} key=${b.business_id} round=${r} business=${b} />`)}
		    </section>`))}
		<//>`;
}

/* "kind|text|có|a;b" lines -> questions. */
function parseQuestions(text) {
	return text.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
		const [kind, t, req, choices] = l.split('|').map((x) => (x || '').trim());
		const q = { kind, text_vi: t, required: /^(có|co|yes|x)$/i.test(req) };
		if (choices)
			q.choices = choices.split(';').map((c) => ({ vi: c.trim() })).filter((c) => c.vi);
		return q;
	});
}

function Results({ id }) {
	const st = useGet('/official/survey-rounds/' + id);
	return html`<${Async} state=${st}>${(d) => html`
		<p>${s('progress', { a: d.answered, n: d.targeted })}</p>
		<ol>${d.questions.map((q) => html`<li key=${q.id}>${qtext(q)}
			${q.choices && html`<ul>${q.choices.map((c) => html`<li>${ctext(c)}: ${c.count}</li>`)}</ul>`}
			${q.numbers && html`<p class="muted">n=${q.numbers.count} · min ${q.numbers.min ?? '—'} · max ${q.numbers.max ?? '—'} · TB ${q.numbers.mean ?? '—'}</p>`}
		</li>`)}</ol>
		<p><a class="btn" href=${'/api/v1/official/survey-rounds/' + id + '/answers.csv'} download>${s('answers_csv')}</a></p>`}
	<//>`;
}

function Rounds({ sv, reload }) {
	const f = useForm({ title: '', opens_on: '', closes_on: '' });
	const [open, setOpen] = useState(null);
	return html`<section class="survey-admin" key=${sv.id}>
		<h2>${sv.title_vi}</h2>
		<ul>${sv.rounds.map((r) => html`<li key=${r.id}>
			${r.title} (${r.opens_on} – ${r.closes_on}, ${r.state}) · ${s('progress', { a: r.answered, n: r.targeted })}
			<button type="button" class="btn" onClick=${() => setOpen(open === r.id ? null : r.id)}>${s('results')}</button>
			${r.state !== 'closed' && html`<button type="button" class="btn"
			    onClick=${async () => { await api('POST', `/admin/survey-rounds/${r.id}/close`); reload(); }}>${s('round_close')}</button>`}
			${open === r.id && html`<${Results} id=${r.id} />`}
		</li>`)}</ul>
		<form ref=${f.formRef} onSubmit=${(e) => { e.preventDefault(); f.submit(async (v) => { await api('POST', `/admin/surveys/${sv.id}/rounds`, v); reload(); }); }}>
			<${Field} id=${'title-' + sv.id} label=${s('round_title')} value=${f.values.title} onInput=${f.set('title')} err=${f.errors.title} />
			<${Field} id=${'opens-' + sv.id} type="date" label=${s('opens_on')} value=${f.values.opens_on} onInput=${f.set('opens_on')} err=${f.errors.opens_on} />
			<${Field} id=${'closes-' + sv.id} type="date" label=${s('closes_on')} value=${f.values.closes_on} onInput=${f.set('closes_on')} err=${f.errors.closes_on} />
			<${FormError} msg=${f.errors._} />
			<button type="submit" class="btn" disabled=${f.busy}>${s('round_open')}</button>
		</form>
	</section>`;
}

export function AdminSurvey() {
	useTitle(s('survey_admin'));
	const st = useGet('/official/surveys');
	const f = useForm({ title_vi: '', questions: '' });
	return html`<h1 tabindex="-1">${s('survey_admin')}</h1>
		<form ref=${f.formRef} class="survey-new" onSubmit=${(e) => { e.preventDefault(); f.submit(async (v) => {
			await api('POST', '/admin/surveys', { title_vi: v.title_vi, questions: parseQuestions(v.questions) });
			st.reload(); }); }}>
			<h2>${s('survey_new')}</h2>
			<${Field} id="title_vi" label=${s('survey_title')} value=${f.values.title_vi} onInput=${f.set('title_vi')} err=${f.errors.title_vi} />
			<div class="field">
				<label for="questions">${s('survey_questions')}</label>
				<textarea id="questions" rows="6" value=${f.values.questions}
				    onInput=${(e) => f.set('questions')(e.currentTarget.value)}></textarea>
			</div>
			<${FormError} msg=${f.errors._ || Object.entries(f.errors).filter(([k]) => k.startsWith('questions')).map(([, m]) => m)[0]} />
			<button type="submit" class="btn btn-primary" disabled=${f.busy}>${s('survey_create')}</button>
		</form>
		<${Async} state=${st}>${(d) => d.items.map((sv) => html`<${Rounds} key=${sv.id} sv=${sv} reload=${st.reload} />`)}<//>`;
}
