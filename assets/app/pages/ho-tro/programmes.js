/*
 * Admins: support programmes.  The list, the create form (plan, line,
 * the rule: fixed or rate + cap, shares per source adding to 100 %, the
 * business counterpart, at most N a year, the per-business cap, eligible
 * kinds), and one programme: its edit form (once it has grants the
 * server refuses rule changes, so the form sends only what changed),
 * closing it, and its report (businesses supported per year against the
 * target).  The API's message appears by the field it names.
 */
import { useState } from 'preact/hooks';
import { html, useTitle, useGet, Async, Money, Field, useForm, FormError } from '../../ui.js';
import { api } from '../../api.js';
import { navigate } from '../../router.js';
import { Select, TextArea, num } from '../bo.js';
import { tr } from './strings.js';

const SOURCES = ['provincial', 'central', 'business', 'other'];
const KINDS = ['enterprise', 'cooperative', 'household', 'production_facility'];

/* Percent as typed ("70", "2.5") → basis points; other text is sent as is
 * so the API names the field. */
function bp(v) {
	const s = String(v).trim();
	return s === '' ? undefined : /^\d+(\.\d{1,2})?$/.test(s) ? Math.round(Number(s) * 100) : s;
}
const pct = (b) => (b == null ? '' : String(b / 100));

/* Form values of programme g (or a new one). */
function values(g) {
	const v = { name: g ? g.name : '', rule: g ? g.rule : 'fixed',
	    fixed_vnd: g?.fixed_vnd != null ? String(g.fixed_vnd) : '',
	    rate: pct(g?.rate_bp), cap_vnd: g?.cap_vnd != null ? String(g.cap_vnd) : '',
	    counterpart: pct(g ? g.counterpart_bp : 0),
	    max_per_year: g?.max_per_year != null ? String(g.max_per_year) : '',
	    per_business_cap_vnd: g?.per_business_cap_vnd != null ? String(g.per_business_cap_vnd) : '',
	    kinds: g?.eligible_kinds || [], plan: '', line_id: '' };
	for (const s of SOURCES)
		v['share_' + s] = pct(g?.sources?.[s]?.share_bp);
	return v;
}

/* The API body of form values v; clear: null for emptied optional members. */
function body(v, clear) {
	const opt = (x) => (x === undefined && clear ? null : x);
	const b = { name: v.name, rule: v.rule, counterpart_bp: bp(v.counterpart) ?? 0,
	    max_per_year: opt(num(v.max_per_year)), per_business_cap_vnd: opt(num(v.per_business_cap_vnd)),
	    sources: {} };
	if (v.rule === 'fixed')
		b.fixed_vnd = num(v.fixed_vnd);
	else {
		b.rate_bp = bp(v.rate);
		b.cap_vnd = opt(num(v.cap_vnd));
	}
	for (const s of SOURCES)
		if (bp(v['share_' + s]) !== undefined)
			b.sources[s] = bp(v['share_' + s]);
	b.eligible_kinds = v.kinds.length ? Object.fromEntries(v.kinds.map((k) => [k, true])) : opt(undefined);
	for (const k of Object.keys(b))
		if (b[k] === undefined)
			delete b[k];
	return b;
}

const IDS = { name: 'p-name', rule: 'p-rule', fixed_vnd: 'p-fixed', rate_bp: 'p-rate', cap_vnd: 'p-cap',
    counterpart_bp: 'p-counterpart', max_per_year: 'p-max', per_business_cap_vnd: 'p-bizcap',
    eligible_kinds: 'p-kinds', line_id: 'p-line', sources: 'p-share-provincial', programme_id: 'p-name' };
for (const s of SOURCES)
	IDS['sources.' + s] = 'p-share-' + s;

/* The fields of the rule; f: a useForm, locked: the programme has grants. */
function RuleFields({ f, locked }) {
	const err = (id) => f.errors[id];
	const total = SOURCES.reduce((n, s) => n + (Number(f.values['share_' + s]) || 0), 0);
	const kinds = f.values.kinds;
	return html`
		${locked && html`<p class="hint">${tr('prog.locked')}</p>`}
		<${Select} id="p-rule" label=${tr('prog.rule')} value=${f.values.rule} onInput=${f.set('rule')} err=${err('p-rule')}
		    disabled=${locked} options=${['fixed', 'rate'].map((r) => ({ value: r, label: tr('prog.rule.' + r) }))} />
		${f.values.rule === 'fixed'
		    ? html`<${Field} id="p-fixed" label=${tr('prog.fixed')} type="number" min="1" required disabled=${locked}
			value=${f.values.fixed_vnd} onInput=${f.set('fixed_vnd')} err=${err('p-fixed')} />`
		    : html`<${Field} id="p-rate" label=${tr('prog.rate')} inputmode="decimal" required disabled=${locked}
			value=${f.values.rate} onInput=${f.set('rate')} err=${err('p-rate')} />
			<${Field} id="p-cap" label=${tr('prog.cap')} type="number" min="1" disabled=${locked}
			value=${f.values.cap_vnd} onInput=${f.set('cap_vnd')} err=${err('p-cap')} />`}
		<fieldset><legend>${tr('prog.shares')}</legend>
			${SOURCES.map((s) => html`<${Field} key=${s} id=${'p-share-' + s} label=${tr('src.' + s) + ' (%)'}
			    inputmode="decimal" disabled=${locked} value=${f.values['share_' + s]}
			    onInput=${f.set('share_' + s)} err=${err('p-share-' + s)} />`)}
			<p class=${total === 100 ? 'hint' : 'field-error'} aria-live="polite">${tr('prog.shares.total', { n: total })}</p>
		</fieldset>
		<${Field} id="p-counterpart" label=${tr('prog.counterpart')} hint=${tr('prog.counterpart.hint')}
		    inputmode="decimal" disabled=${locked} value=${f.values.counterpart} onInput=${f.set('counterpart')}
		    err=${err('p-counterpart')} />
		<${Field} id="p-max" label=${tr('prog.max')} type="number" min="1"
		    value=${f.values.max_per_year} onInput=${f.set('max_per_year')} err=${err('p-max')} />
		<${Field} id="p-bizcap" label=${tr('prog.bizcap')} type="number" min="1"
		    value=${f.values.per_business_cap_vnd} onInput=${f.set('per_business_cap_vnd')} err=${err('p-bizcap')} />
		<fieldset id="p-kinds" tabindex="-1" class=${err('p-kinds') ? 'has-error' : ''}><legend>${tr('prog.kinds')}</legend>
			<p class="hint">${tr('prog.kinds.hint')}</p>
			${KINDS.map((k) => html`<label class="choice" key=${k}><input type="checkbox" checked=${kinds.includes(k)}
			    onChange=${(e) => f.set('kinds')(e.currentTarget.checked ? [...kinds, k] : kinds.filter((x) => x !== k))} />
			    ${' '}${tr('kind.' + k)}</label>`)}
			${err('p-kinds') && html`<p class="field-error">${err('p-kinds')}</p>`}
		</fieldset>`;
}

function CreateForm({ plans, onDone }) {
	const f = useForm(values(null));
	const rep = useGet(f.values.plan ? '/admin/plans/' + f.values.plan + '/report' : null);
	const lines = rep.data ? rep.data.lines.filter((l) => l.kind === 'line') : [];
	async function save(v) {
		const r = await api('POST', '/admin/programmes', { line_id: num(v.line_id), ...body(v, false) });
		onDone(r.id);
	}
	return html`<form ref=${f.formRef} class="narrow" onSubmit=${(e) => { e.preventDefault(); f.submit(save, IDS); }}>
		<h2>${tr('prog.new')}</h2>
		<${FormError} msg=${f.errors._} />
		<${Select} id="p-plan" label=${tr('prog.plan')} value=${f.values.plan} onInput=${f.set('plan')} required
		    options=${[{ value: '', label: tr('prog.choose') }, ...plans.map((p) => ({ value: String(p.id), label: p.title }))]} />
		<${Select} id="p-line" label=${tr('prog.line')} value=${f.values.line_id} onInput=${f.set('line_id')} required
		    err=${f.errors['p-line']}
		    options=${[{ value: '', label: tr('prog.choose') }, ...lines.map((l) => ({ value: String(l.id),
			label: (l.printed_code || l.code) + ' · ' + l.title.slice(0, 80) }))]} />
		<${Field} id="p-name" label=${tr('prog.name')} required maxlength="300"
		    value=${f.values.name} onInput=${f.set('name')} err=${f.errors['p-name']} />
		<${RuleFields} f=${f} locked=${false} />
		<button type="submit" class="btn btn-primary" disabled=${f.busy}>${tr('prog.create')}</button>
	</form>`;
}

export function Programmes() {
	useTitle(tr('prog.title'));
	const st = useGet('/admin/programmes');
	const plans = useGet('/admin/plans');
	return html`<h1 tabindex="-1">${tr('prog.title')}</h1>
		<${Async} state=${st}>${(d) => (d.items.length === 0 ? html`<p>${tr('prog.none')}</p>` :
		    html`<ul class="lines">${d.items.map((g) => html`<li key=${g.id} class="line">
			<div class="line-main"><strong><a href=${'/ho-tro/chuong-trinh/' + g.id}>${g.name}</a></strong>
			<span class="muted">${g.line_code} · ${tr('prog.rule.' + g.rule)} · ${tr('prog.status.' + g.status)} · ${tr('prog.grants', { n: g.grants })}</span></div>
			<div class="line-total">${g.rule === 'fixed' ? html`<${Money} vnd=${g.fixed_vnd} />` : `${g.rate_bp / 100} %`}</div>
		</li>`)}</ul>`)}<//>
		<${Async} state=${plans}>${(d) => html`<${CreateForm} plans=${d.items}
		    onDone=${(id) => navigate('/ho-tro/chuong-trinh/' + id)} />`}<//>`;
}

function EditForm({ g, onDone }) {
	const start = values(g);
	const f = useForm(start);
	const [ok, setOk] = useState(false);
	async function save(v) {
		const was = body(start, true), now = body(v, true), out = {};
		for (const k of new Set([...Object.keys(was), ...Object.keys(now)]))
			if (JSON.stringify(was[k] ?? null) !== JSON.stringify(now[k] ?? null))
				out[k] = now[k] ?? null;
		if (Object.keys(out).length === 0)
			return;
		await api('PATCH', '/admin/programmes/' + g.id, out);
		setOk(true);
		onDone();
	}
	return html`<form ref=${f.formRef} class="narrow" onSubmit=${(e) => { e.preventDefault(); setOk(false); f.submit(save, IDS); }}>
		<h2>${tr('prog.edit')}</h2>
		<${FormError} msg=${f.errors._} />
		${ok && html`<p class="alert alert-ok" role="status">${tr('prog.saved')}</p>`}
		<${Field} id="p-name" label=${tr('prog.name')} required maxlength="300"
		    value=${f.values.name} onInput=${f.set('name')} err=${f.errors['p-name']} />
		<${RuleFields} f=${f} locked=${g.grants > 0} />
		<button type="submit" class="btn btn-primary" disabled=${f.busy}>${tr('prog.save')}</button>
	</form>`;
}

function CloseForm({ g, onDone }) {
	const f = useForm({ reason: '' });
	async function save(v) {
		await api('POST', '/admin/programmes/' + g.id + '/close', { reason: v.reason });
		onDone();
	}
	return html`<form ref=${f.formRef} class="narrow" onSubmit=${(e) => { e.preventDefault(); f.submit(save, { reason: 'p-reason' }); }}>
		<h2>${tr('prog.close')}</h2>
		<p class="hint">${tr('prog.close.hint')}</p>
		<${FormError} msg=${f.errors._} />
		<${TextArea} id="p-reason" label=${tr('prog.close.reason')} required maxlength="500"
		    value=${f.values.reason} onInput=${f.set('reason')} err=${f.errors['p-reason']} />
		<button type="submit" class="btn" disabled=${f.busy}>${tr('prog.close')}</button>
	</form>`;
}

function Report({ id }) {
	const st = useGet('/admin/programmes/' + id + '/report');
	return html`<h2>${tr('prog.report')}</h2>
		<${Async} state=${st}>${(d) => html`<div class="ledger-wrap" tabindex="0" role="region" aria-label=${tr('prog.report')}>
		<table class="ledger-table"><thead><tr><th scope="col">${tr('grants.year')}</th>
			<th scope="col" class="num">${tr('prog.report.businesses')}</th><th scope="col" class="num">${tr('prog.report.target')}</th>
			<th scope="col" class="num">${tr('report.committed')}</th><th scope="col" class="num">${tr('report.disbursed')}</th></tr></thead>
		<tbody>${d.years.map((y) => html`<tr key=${y.year} class=${y.target != null && y.businesses >= y.target ? 'ledger-head' : ''}>
			<th scope="row">${y.year}</th><td class="num">${y.businesses}</td>
			<td class="num">${y.target ?? '—'}</td>
			<td class="num"><${Money} vnd=${y.committed_vnd} /></td><td class="num"><${Money} vnd=${y.disbursed_vnd} /></td></tr>`)}</tbody>
		</table></div>`}<//>`;
}

export function Programme({ params }) {
	const st = useGet('/admin/programmes');
	const [n, setN] = useState(0);
	const g = st.data && st.data.items.find((x) => String(x.id) === params.id);
	useTitle(g ? g.name : tr('prog.title'));
	const reload = () => { st.reload(); setN(n + 1); };
	return html`<${Async} state=${st}>${() => (!g ? html`<h1 tabindex="-1">${tr('prog.title')}</h1><p>${tr('prog.missing')}</p>` : html`
		<h1 tabindex="-1">${g.name}</h1>
		<p class="muted">${g.line_code} · ${tr('prog.status.' + g.status)} · ${tr('prog.grants', { n: g.grants })}
		    ${g.close_reason ? ' · ' + g.close_reason : ''}</p>
		<p><a class="btn" href="/ho-tro/chuong-trinh">${tr('prog.title')}</a></p>
		<${Report} key=${n} id=${g.id} />
		${g.status === 'open' && html`<${EditForm} key=${g.id + ':' + n} g=${g} onDone=${reload} />
		<${CloseForm} g=${g} onDone=${reload} />`}`)}<//>`;
}
