/*
 * Admins: the grant form (the split computed from the programme's rule
 * is shown before saving; the server computes it again), recent grants,
 * and the disbursement form.  Each form keeps one Idempotency-Key until
 * it succeeds, so a double submit or a retry is answered once.
 */
import { useState } from 'preact/hooks';
import { html, useTitle, useGet, Async, Money, Field, useForm, FormError } from '../../ui.js';
import { api } from '../../api.js';
import { formatMoney } from '../../i18n.js';
import { tr, grantPreview } from './strings.js';

const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random());

/* An ApiError's message, with a 409's details spelled out. */
function refusal(e) {
	const d = e.details;
	if (d && d.shortfall_vnd != null && d.line)
		return e.message + ' ' + tr('grants.shortfall', { line: d.line, year: d.year,
		    source: tr('src.' + d.source), remaining: formatMoney(d.remaining_vnd),
		    shortfall: formatMoney(d.shortfall_vnd) });
	return e.message;
}

function GrantForm({ programmes, onDone }) {
	const f = useForm({ programme_id: '', business_id: '', year: String(new Date().getFullYear()),
	    decision_no: '', eligible_cost_vnd: '' });
	const [key, setKey] = useState(newKey);
	const [ok, setOk] = useState(null);
	const g = programmes.find((p) => String(p.id) === f.values.programme_id);
	const cost = Number(f.values.eligible_cost_vnd) || 0;
	const pv = grantPreview(g, cost);
	async function save(v) {
		const body = { programme_id: Number(v.programme_id), business_id: Number(v.business_id),
		    year: Number(v.year), decision_no: v.decision_no };
		if (v.eligible_cost_vnd !== '')
			body.eligible_cost_vnd = Number(v.eligible_cost_vnd);
		try {
			const r = await api('POST', '/admin/grants', body, { 'Idempotency-Key': key });
			setOk(tr('grants.saved', { id: r.id }));
			setKey(newKey());
			onDone();
		} catch (e) {
			if (e.status === 409)
				e.message = refusal(e);
			throw e;
		}
	}
	const err = (k) => f.errors['g-' + k];
	const ids = { programme_id: 'g-programme_id', business_id: 'g-business_id', year: 'g-year',
	    decision_no: 'g-decision_no', eligible_cost_vnd: 'g-eligible_cost_vnd' };
	return html`<form ref=${f.formRef} class="narrow" onSubmit=${(e) => { e.preventDefault(); setOk(null); f.submit(save, ids); }}>
		<h2>${tr('grants.title')}</h2>
		<${FormError} msg=${f.errors._} />
		${ok && html`<p class="alert alert-ok" role="status">${ok}</p>`}
		<div class=${'field' + (err('programme_id') ? ' has-error' : '')}>
			<label for="g-programme_id">${tr('grants.programme')}</label>
			<select id="g-programme_id" value=${f.values.programme_id} required
			    onChange=${(e) => f.set('programme_id')(e.currentTarget.value)}>
				<option value="">${tr('grants.choose')}</option>
				${programmes.map((p) => html`<option key=${p.id} value=${String(p.id)}>${p.line_code} · ${p.name}</option>`)}
			</select>
			${err('programme_id') && html`<p class="field-error">${err('programme_id')}</p>`}
		</div>
		<${Field} id="g-business_id" label=${tr('grants.business')} type="number" min="1" required
		    value=${f.values.business_id} onInput=${f.set('business_id')} err=${err('business_id')} />
		<${Field} id="g-year" label=${tr('grants.year')} type="number" min="2000" max="2100" required
		    value=${f.values.year} onInput=${f.set('year')} err=${err('year')} />
		<${Field} id="g-decision_no" label=${tr('grants.decision')} required maxlength="100"
		    value=${f.values.decision_no} onInput=${f.set('decision_no')} err=${err('decision_no')} />
		<${Field} id="g-eligible_cost_vnd" label=${tr('grants.cost')} type="number" min="1"
		    value=${f.values.eligible_cost_vnd} onInput=${f.set('eligible_cost_vnd')} err=${err('eligible_cost_vnd')} />
		${pv && html`<div class="alert alert-ok" aria-live="polite"><p><strong>${tr('grants.preview')}: <${Money} vnd=${pv.amount} /></strong></p>
			<ul>${pv.parts.map((p) => html`<li key=${p.source}>${tr('src.' + p.source)}: <${Money} vnd=${p.amount} /></li>`)}</ul>
			${pv.counterpart > 0 && html`<p>${tr('grants.counterpart')}: <${Money} vnd=${pv.counterpart} /></p>`}</div>`}
		<button type="submit" class="btn btn-primary" disabled=${f.busy}>${tr('grants.save')}</button>
	</form>`;
}

function DisbursementForm({ onDone }) {
	const f = useForm({ grant: '', amount_vnd: '', paid_on: new Date().toISOString().slice(0, 10),
	    voucher_no: '', method: 'treasury' });
	const [key, setKey] = useState(newKey);
	const [ok, setOk] = useState(null);
	async function save(v) {
		const r = await api('POST', '/admin/grants/' + Number(v.grant) + '/disbursements', {
		    amount_vnd: Number(v.amount_vnd), paid_on: v.paid_on, voucher_no: v.voucher_no,
		    method: v.method }, { 'Idempotency-Key': key });
		setOk(tr('disb.saved', { id: r.id, status: tr('status.' + r.status) }));
		setKey(newKey());
		onDone();
	}
	const ids = { amount_vnd: 'd-amount_vnd', paid_on: 'd-paid_on', voucher_no: 'd-voucher_no', method: 'd-method' };
	const err = (k) => f.errors['d-' + k];
	return html`<form ref=${f.formRef} class="narrow" onSubmit=${(e) => { e.preventDefault(); setOk(null); f.submit(save, ids); }}>
		<h2>${tr('disb.title')}</h2>
		<${FormError} msg=${f.errors._} />
		${ok && html`<p class="alert alert-ok" role="status">${ok}</p>`}
		<${Field} id="d-grant" label=${tr('disb.grant')} type="number" min="1" required
		    value=${f.values.grant} onInput=${f.set('grant')} err=${err('grant')} />
		<${Field} id="d-amount_vnd" label=${tr('disb.amount')} type="number" min="1" required
		    value=${f.values.amount_vnd} onInput=${f.set('amount_vnd')} err=${err('amount_vnd')} />
		<${Field} id="d-paid_on" label=${tr('disb.date')} type="date" required
		    value=${f.values.paid_on} onInput=${f.set('paid_on')} err=${err('paid_on')} />
		<${Field} id="d-voucher_no" label=${tr('disb.voucher')} required maxlength="50"
		    value=${f.values.voucher_no} onInput=${f.set('voucher_no')} err=${err('voucher_no')} />
		<div class="field"><label for="d-method">${tr('disb.method')}</label>
			<select id="d-method" value=${f.values.method} onChange=${(e) => f.set('method')(e.currentTarget.value)}>
				${['treasury', 'bank_transfer', 'cash'].map((m) => html`<option key=${m} value=${m}>${tr('disb.' + m)}</option>`)}
			</select></div>
		<button type="submit" class="btn btn-primary" disabled=${f.busy}>${tr('disb.save')}</button>
	</form>`;
}

export default function Grants() {
	useTitle(tr('grants.title'));
	const progs = useGet('/admin/programmes');
	const grants = useGet('/admin/grants?limit=20');
	return html`<h1 tabindex="-1">${tr('grants.title')}</h1>
		<${Async} state=${progs}>${(d) => html`<${GrantForm} programmes=${d.items} onDone=${grants.reload} />`}<//>
		<${DisbursementForm} onDone=${grants.reload} />
		<h2>${tr('grants.list')}</h2>
		<${Async} state=${grants}>${(d) => (d.items.length === 0 ? html`<p>${tr('grants.none')}</p>` :
		    html`<ul class="lines">${d.items.map((g) => html`<li key=${g.id} class="line">
			<div class="line-main"><strong>#${g.id} · ${g.business}</strong>
			<span class="muted">${g.programme} · ${g.year} · ${g.decision_no} · ${tr('status.' + g.status)}</span>
			<span class="muted">${g.sources.map((s) => `${tr('src.' + s.source)} ${formatMoney(s.amount_vnd)}`).join(' · ')}</span></div>
			<div class="line-total"><${Money} vnd=${g.amount_vnd} /></div></li>`)}</ul>`)}<//>`;
}
