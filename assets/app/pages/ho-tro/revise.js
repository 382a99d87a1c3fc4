/*
 * Admins: amend a plan by a later decision (number, date not after today,
 * reason) with the changed cells: line x year x source and the revised
 * amount.  A printed figure or a blank cell of a line without lines below
 * it may be changed; the server refuses a cell below what grants already
 * committed (the message names line, year, source and shortfall, by the
 * cell).  One Idempotency-Key per form until it succeeds.
 */
import { useState } from 'preact/hooks';
import { html, useTitle, useGet, Async, Field, useForm, FormError } from '../../ui.js';
import { api } from '../../api.js';
import { navigate } from '../../router.js';
import { formatMoney } from '../../i18n.js';
import { Select, TextArea } from '../bo.js';
import { tr } from './strings.js';

const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random());
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());

function Form({ d }) {
	const leaves = d.lines.filter((l) => l.kind === 'line' && !d.lines.some((c) => c.code && l.code && c.code.startsWith(l.code + '.')));
	const years = [...new Set(d.lines.flatMap((l) => l.cells.filter((c) => c.source).map((c) => c.year)))];
	const f = useForm({ decision_no: '', decision_date: today(), reason: '',
	    changes: [{ line_code: '', year: String(years[0] ?? ''), source: d.plan.sources[0], amount_vnd: '' }] });
	const [key, setKey] = useState(newKey);
	const ch = f.values.changes;
	const setCh = (i, k) => (v) => f.set('changes')(ch.map((c, j) => (j === i ? { ...c, [k]: v } : c)));
	async function save(v) {
		try {
			await api('POST', '/admin/plans/' + d.plan.id + '/revisions', {
			    decision_no: v.decision_no, decision_date: v.decision_date, reason: v.reason,
			    changes: v.changes.map((c) => ({ line_code: c.line_code, source: c.source,
				...(c.year === '' ? {} : { year: Number(c.year) }),
				amount_vnd: /^\d+$/.test(c.amount_vnd) ? Number(c.amount_vnd) : c.amount_vnd })) },
			    { 'Idempotency-Key': key });
		} catch (e) {
			const x = e.details;
			if (e.status === 409 && x && x.line)
				e.message += ' ' + tr('rev.short', { line: x.line, year: x.year ?? tr('report.period'),
				    source: tr('src.' + x.source), committed: formatMoney(x.committed_vnd),
				    shortfall: formatMoney(x.shortfall_vnd) });
			throw e;
		}
		setKey(newKey());
		navigate('/ho-tro/ke-hoach/' + d.plan.id);
	}
	/* changes[2].amount_vnd → r-c2-amount_vnd; changes[2] → r-c2-line_code */
	const ids = { decision_no: 'r-decision_no', decision_date: 'r-decision_date', reason: 'r-reason', changes: 'r-c0-line_code' };
	ch.forEach((c, i) => {
		ids[`changes[${i}]`] = `r-c${i}-line_code`;
		for (const k of ['line_code', 'year', 'source', 'amount_vnd'])
			ids[`changes[${i}].${k}`] = `r-c${i}-${k}`;
	});
	const err = (id) => f.errors[id];
	return html`<form ref=${f.formRef} onSubmit=${(e) => { e.preventDefault(); f.submit(save, ids); }}>
		<${FormError} msg=${f.errors._} />
		<div class="narrow">
		<${Field} id="r-decision_no" label=${tr('rev.decision')} required maxlength="100"
		    value=${f.values.decision_no} onInput=${f.set('decision_no')} err=${err('r-decision_no')} />
		<${Field} id="r-decision_date" label=${tr('rev.date')} type="date" required max=${today()}
		    value=${f.values.decision_date} onInput=${f.set('decision_date')} err=${err('r-decision_date')} />
		<${TextArea} id="r-reason" label=${tr('rev.reason')} required maxlength="500" rows="3"
		    value=${f.values.reason} onInput=${f.set('reason')} err=${err('r-reason')} /></div>
		${ch.map((c, i) => html`<fieldset key=${i}><legend>${tr('rev.change', { n: i + 1 })}</legend>
			<${Select} id=${`r-c${i}-line_code`} label=${tr('report.line')} value=${c.line_code} required
			    onInput=${setCh(i, 'line_code')} err=${err(`r-c${i}-line_code`)}
			    options=${[{ value: '', label: tr('prog.choose') }, ...leaves.map((l) => ({ value: l.code,
				label: (l.printed_code || l.code) + ' · ' + l.title.slice(0, 70) }))]} />
			<${Select} id=${`r-c${i}-year`} label=${tr('grants.year')} value=${c.year} onInput=${setCh(i, 'year')}
			    err=${err(`r-c${i}-year`)}
			    options=${years.map((y) => ({ value: y == null ? '' : String(y), label: y == null ? tr('report.period') : String(y) }))} />
			<${Select} id=${`r-c${i}-source`} label=${tr('report.source')} value=${c.source} onInput=${setCh(i, 'source')}
			    err=${err(`r-c${i}-source`)} options=${d.plan.sources.map((s) => ({ value: s, label: tr('src.' + s) }))} />
			<${Field} id=${`r-c${i}-amount_vnd`} label=${tr('rev.amount')} type="number" min="0" required
			    value=${c.amount_vnd} onInput=${setCh(i, 'amount_vnd')} err=${err(`r-c${i}-amount_vnd`)} />
			${ch.length > 1 && html`<button type="button" class="btn" onClick=${() => f.set('changes')(ch.filter((x, j) => j !== i))}>${tr('rev.remove')}</button>`}
		</fieldset>`)}
		<p><button type="button" class="btn" onClick=${() => f.set('changes')([...ch, { ...ch[ch.length - 1], amount_vnd: '' }])}>${tr('rev.add')}</button></p>
		<button type="submit" class="btn btn-primary" disabled=${f.busy}>${tr('rev.save')}</button>
	</form>`;
}

export default function Revise({ params }) {
	const st = useGet('/admin/plans/' + params.id + '/report');
	useTitle(tr('rev.title'));
	return html`<h1 tabindex="-1">${tr('rev.title')}</h1>
		<${Async} state=${st}>${(d) => html`<p class="muted">${d.plan.title}</p>
		<${Form} d=${d} />`}<//>`;
}
