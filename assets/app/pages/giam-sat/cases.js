/*
 * Monitoring, officials (/giam-sat/): the case queue by deadline (keyset
 * "Xem thêm", countdown, overdue marked), a case with its evidence, its
 * alerts, reports and authority requests, the claim and the decision
 * form (statement of reasons: action, ground, legal provision, category,
 * end date, facts), and the appeals queue with the appeal decision.
 * The queue also records a request from an authority (market surveillance,
 * police) about a product or a store: it opens (or joins) the target's
 * case with the shortest deadline, and the case is shown.
 * API: GET /official/cases, GET /official/cases/{id},
 * POST /official/authority-requests, POST /official/cases/{id}/claim, POST /official/cases/{id}/decision,
 * GET /official/appeals, POST /official/appeals/{id}/decision.
 */
import { useState } from 'preact/hooks';
import { html, useTitle, useGet, Async, Field, FormError, useForm, Money, ErrorBox, Loading } from '../../ui.js';
import { api } from '../../api.js';
import { t, formatDate, formatDateTime } from '../../i18n.js';
import { navigate, location } from '../../router.js';
import { me, useValue } from '../../state.js';
import { Select, TextArea, usePaged } from '../bo.js';
import { CATEGORIES, ACTIONS, GROUNDS } from './strings.js';
import '../bo-strings.js';

/* The monitoring screens' own navigation. */
export function MonNav() {
	const here = useValue(location).path;
	const items = [['/giam-sat', 'queue'], ['/giam-sat/khieu-nai', 'appeals'],
	    ['/giam-sat/quy-tac', 'rules'], ['/giam-sat/minh-bach', 'transparency']];
	return html`<nav class="subnav" aria-label=${t('gs.nav')}>
		<ul>${items.map(([p, k]) => html`<li key=${k}><a href=${p}
		    aria-current=${here === p ? 'page' : undefined}>${t('gs.nav.' + k)}</a></li>`)}</ul>
	</nav>`;
}

/* "còn 5 giờ" / "trễ 2 ngày" from an ISO deadline. */
export function countdown(iso) {
	const h = Math.round((new Date(iso).getTime() - Date.now()) / 3600000);
	const a = Math.abs(h);
	const unit = a >= 48 ? 'd' : 'h';
	const n = unit === 'd' ? Math.round(a / 24) : a;
	return t((h < 0 ? 'gs.late.' : 'gs.left.') + unit, { n });
}

export function Deadline({ c }) {
	return html`<span class="muted">${t('gs.deadline')}: ${formatDateTime(c.deadline)}
		${c.status === 'open' && html` (${countdown(c.deadline)})`}</span>
		${c.overdue && html` <span class="status bstatus-rejected">${t('gs.overdue')}</span>`}`;
}

const target = (c) => (c.product ? c.product.name : c.store ? c.store.name : '#' + c.id);
const opts = (list, prefix) => list.map((v) => ({ value: v, label: t(prefix + v) }));

/* An authority's request (product id or store address, authority,
 * document number, category, what it asks); only filled members are
 * sent, the API names what is missing. */
function AuthorityForm() {
	const [open, setOpen] = useState(false);
	const f = useForm({ target: 'product', product_id: '', store_slug: '', authority: '',
	    document_no: '', category: 'prohibited_goods', explanation: '' });
	function onSubmit(e) {
		e.preventDefault();
		f.submit(async (v) => {
			const body = { category: v.category };
			for (const k of ['authority', 'document_no', 'explanation'])
				if (v[k].trim()) body[k] = v[k].trim();
			if (v.target === 'product' && v.product_id.trim())
				body.product_id = /^\d{1,18}$/.test(v.product_id.trim()) ? Number(v.product_id.trim()) : v.product_id.trim();
			if (v.target === 'store' && v.store_slug.trim())
				body.store_slug = v.store_slug.trim();
			const c = await api('POST', '/official/authority-requests', body);
			navigate('/giam-sat/vu-viec/' + c.id);
		}, 'ar-');
	}
	return html`<section aria-labelledby="h-ar" class="authority">
		<h2 id="h-ar">${t('gs.ar.title')}</h2>
		<p><button type="button" class="btn" aria-expanded=${open ? 'true' : 'false'} aria-controls="ar-form"
		    onClick=${() => setOpen(!open)}>${t(open ? 'gs.ar.close' : 'gs.ar.open')}</button></p>
		${open && html`<form id="ar-form" ref=${f.formRef} onSubmit=${onSubmit} novalidate class="narrow">
			<p class="muted">${t('gs.ar.intro')}</p>
			<${FormError} msg=${f.errors._} />
			<${Select} id="ar-target" label=${t('gs.ar.target')} value=${f.values.target} onInput=${f.set('target')}
			    options=${[{ value: 'product', label: t('gs.target.product') }, { value: 'store', label: t('gs.target.store') }]} />
			${f.values.target === 'product'
			    ? html`<${Field} id="ar-product_id" label=${t('gs.ar.product_id')} hint=${t('gs.ar.product_id.hint')}
				inputmode="numeric" value=${f.values.product_id} onInput=${f.set('product_id')} err=${f.errors['ar-product_id']} />`
			    : html`<${Field} id="ar-store_slug" label=${t('gs.ar.store_slug')} hint=${t('gs.ar.store_slug.hint')}
				value=${f.values.store_slug} onInput=${f.set('store_slug')} err=${f.errors['ar-store_slug']} maxlength="63" />`}
			<${Field} id="ar-authority" label=${t('gs.ar.authority')} hint=${t('gs.ar.authority.hint')}
			    value=${f.values.authority} onInput=${f.set('authority')} err=${f.errors['ar-authority']} maxlength="200" />
			<${Field} id="ar-document_no" label=${t('gs.ar.document_no')} value=${f.values.document_no}
			    onInput=${f.set('document_no')} err=${f.errors['ar-document_no']} maxlength="100" />
			<${Select} id="ar-category" label=${t('gs.decide.category')} value=${f.values.category}
			    onInput=${f.set('category')} err=${f.errors['ar-category']} options=${opts(CATEGORIES, 'gs.cat.')} />
			<${TextArea} id="ar-explanation" label=${t('gs.ar.explanation')} value=${f.values.explanation}
			    onInput=${f.set('explanation')} err=${f.errors['ar-explanation']} rows="4" />
			<button type="submit" class="btn btn-primary" disabled=${f.busy}>${t('gs.ar.submit')}</button>
		</form>`}
	</section>`;
}

export default function Queue({ query }) {
	const status = query.get('status') === 'decided' ? 'decided' : 'open';
	useTitle(t('gs.queue.title'));
	const m = useValue(me);
	const st = usePaged('/official/cases', { status, sort: 'deadline', limit: 20 }, status);
	return html`<h1 tabindex="-1">${t('gs.queue.title')}</h1>
		<${MonNav} />
		<div class="toolbar">
			<${Select} id="gs-status" label=${t('gs.queue.filter')} value=${status}
			    onInput=${(v) => navigate('/giam-sat' + (v === 'open' ? '' : '?status=' + v), { replace: true, keepFocus: true })}
			    options=${opts(['open', 'decided'], 'gs.cstatus.')} />
		</div>
		<${ErrorBox} error=${st.error} onRetry=${st.reload} />
		${!st.loading && !st.error && st.items.length === 0 && html`<p>${t('gs.queue.none')}</p>`}
		<ul class="lines queue cases">${st.items.map((c) => html`<li key=${c.id} class="line case">
			<div class="line-main">
				<a href=${'/giam-sat/vu-viec/' + c.id}>${target(c)}</a>
				<span class="muted">${t('gs.target.' + c.target_type)} · ${t('gs.cat.' + c.category)} · ${t('gs.source.' + c.source)} · ${t('gs.alerts', { n: c.alerts })}</span>
				<span><${Deadline} c=${c} /></span>
			</div>
			<span class="muted">${c.claimed_by ? (m && m.account.id === c.claimed_by ? t('gs.claimed.me') : t('gs.claimed.by', { name: c.claimed_by_name || '#' + c.claimed_by })) : t('gs.unclaimed')}</span>
		</li>`)}</ul>
		${st.loading && html`<${Loading} />`}
		${st.next && !st.loading && html`<p class="center"><button type="button" class="btn" onClick=${st.more}>${t('bo.more')}</button></p>`}
		<${AuthorityForm} />`;
}

function Alert({ a }) {
	const r = a.report;
	return html`<li class="line alert-item">
		<div class="line-main">
			<strong>${t('gs.source.' + a.source)}</strong>
			<span>${t('gs.cat.' + a.category)} · ${formatDateTime(a.created_at)}${a.severity ? ' · ' + t('gs.sev.' + a.severity) : ''}</span>
			${a.rule_id && html`<span>${t('gs.alert.rule', { name: a.rule_name || '#' + a.rule_id, v: a.rule_version })}</span>`}
			${a.matched && html`<span>${t('gs.alert.matched', { m: a.matched, f: t('gs.alert.field.' + a.field) })}</span>`}
			${a.figure && html`<span class="muted">${t('gs.alert.figure')}: ${JSON.stringify(a.figure)}</span>`}
			${r && html`<span>${r.authority ? t('gs.alert.authority', { body: r.authority, doc: r.document_no })
			    : t('gs.alert.report', { ref: r.reference })}${!r.authority && !r.signed_in ? ' (' + t('gs.alert.anonymous') + ')' : ''}</span>
			    <span class="muted">${r.explanation}</span>`}
		</div>
	</li>`;
}

function Evidence({ ev }) {
	const p = ev.product;
	return html`<section aria-labelledby="h-ev">
		<h2 id="h-ev">${t('gs.case.evidence')}</h2>
		<dl class="facts">
			${p && html`<div><dt>${t('gs.product')}</dt><dd>${p.name} ${p.held ? html` <span class="status bstatus-pending">${t('gs.held')}</span>` : ''}</dd></div>
			<div><dt>${t('gs.status')}</dt><dd>${t('prod.status.' + p.status)}</dd></div>
			<div><dt>${t('gs.price')}</dt><dd><${Money} vnd=${p.price_vnd} /></dd></div>
			<div><dt>${t('gs.pcategory')}</dt><dd>${p.category.name_vi}</dd></div>
			${p.licence_ref && html`<div><dt>${t('gs.licence')}</dt><dd>${p.licence_ref}</dd></div>`}
			${p.description && html`<div><dt>${t('gs.description')}</dt><dd>${p.description}</dd></div>`}
			${p.image_hashes.length > 0 && html`<div><dt>${t('gs.images')}</dt><dd>${p.image_hashes.join(', ')}</dd></div>`}`}
			${ev.store && html`<div><dt>${t('gs.store')}</dt><dd><a href=${'/cua-hang/' + ev.store.slug}>${ev.store.name}</a> (${t('store.status.' + ev.store.status)})</dd></div>`}
			${ev.business && html`<div><dt>${t('gs.business')}</dt><dd>${ev.business.name} · ${t('biz.tax_code')} ${ev.business.tax_code} · ${t('bstatus.' + ev.business.status)}</dd></div>`}
		</dl>
	</section>`;
}

/* A recorded decision: its statement of reasons. */
export function Statement({ d }) {
	const s = d.statement;
	return html`<dl class="facts statement">
		<div><dt>${t('gs.decide.action')}</dt><dd>${t('gs.action.' + d.action)}</dd></div>
		<div><dt>${t('gs.decide.ground')}</dt><dd>${t('gs.ground.' + s.ground)}</dd></div>
		${s.legal_provision && html`<div><dt>${t('gs.decide.legal')}</dt><dd>${s.legal_provision}</dd></div>`}
		<div><dt>${t('gs.decide.category')}</dt><dd>${t('gs.cat.' + s.category)}</dd></div>
		${s.end_date && html`<div><dt>${t('gs.decide.end')}</dt><dd>${formatDate(s.end_date)}</dd></div>`}
		<div><dt>${t('gs.decide.facts')}</dt><dd>${s.explanation}</dd></div>
		<div><dt>${t('gs.decision.auto_detect')}</dt><dd>${t(s.automated_detection ? 'gs.yes' : 'gs.no')}</dd></div>
		<div><dt>${t('gs.decision.auto_decide')}</dt><dd>${t(s.automated_decision ? 'gs.yes' : 'gs.no')}</dd></div>
		<div><dt>${t('gs.decision.points')}</dt><dd>${d.points}</dd></div>
		<div><dt>${t('gs.decision.at')}</dt><dd>${formatDateTime(d.created_at)}</dd></div>
	</dl>`;
}

/* The decision form; only filled members are sent (the API names what is missing). */
function Decide({ c, onDone }) {
	const f = useForm({ action: c.product ? 'remove_listing' : 'hide_store', ground: 'illegal',
	    legal_provision: '', category: c.category, end_date: '', explanation: '' });
	function onSubmit(e) {
		e.preventDefault();
		f.submit(async (v) => {
			const body = {};
			for (const [k, x] of Object.entries(v))
				if (String(x).trim() !== '' && !(k === 'legal_provision' && v.ground !== 'illegal'))
					body[k] = String(x).trim();
			await api('POST', '/official/cases/' + c.id + '/decision', body);
			onDone();
		}, 'dc-');
	}
	const actions = ACTIONS.filter((a) => a !== 'remove_listing' || c.product);
	return html`<section aria-labelledby="h-dec">
		<h2 id="h-dec">${t('gs.decide')}</h2>
		<form ref=${f.formRef} onSubmit=${onSubmit} novalidate class="narrow decision-form">
			<${FormError} msg=${f.errors._} />
			<${Select} id="dc-action" label=${t('gs.decide.action')} value=${f.values.action}
			    onInput=${f.set('action')} err=${f.errors['dc-action']} options=${opts(actions, 'gs.action.')} />
			<${Select} id="dc-ground" label=${t('gs.decide.ground')} value=${f.values.ground}
			    onInput=${f.set('ground')} err=${f.errors['dc-ground']} options=${opts(GROUNDS, 'gs.ground.')} />
			${f.values.ground === 'illegal' && html`<${Field} id="dc-legal_provision" label=${t('gs.decide.legal')}
			    hint=${t('gs.decide.legal.hint')} value=${f.values.legal_provision}
			    onInput=${f.set('legal_provision')} err=${f.errors['dc-legal_provision']} maxlength="500" />`}
			<${Select} id="dc-category" label=${t('gs.decide.category')} value=${f.values.category}
			    onInput=${f.set('category')} err=${f.errors['dc-category']} options=${opts(CATEGORIES, 'gs.cat.')} />
			<${Field} id="dc-end_date" type="date" label=${t('gs.decide.end')} hint=${t('gs.decide.end.hint')}
			    value=${f.values.end_date} onInput=${f.set('end_date')} err=${f.errors['dc-end_date']} />
			<${TextArea} id="dc-explanation" label=${t('gs.decide.facts')} hint=${t('gs.decide.facts.hint')}
			    value=${f.values.explanation} onInput=${f.set('explanation')} err=${f.errors['dc-explanation']} rows="5" />
			<button type="submit" class="btn btn-primary" disabled=${f.busy}>${t('gs.decide.submit')}</button>
		</form>
	</section>`;
}

function Claim({ c, onDone }) {
	const [err, setErr] = useState(null);
	const [busy, setBusy] = useState(false);
	async function claim() {
		setBusy(true);
		setErr(null);
		try {
			await api('POST', '/official/cases/' + c.id + '/claim');
			onDone();
		} catch (e) {
			setErr(e);
		} finally {
			setBusy(false);
		}
	}
	return html`<p><button type="button" class="btn" disabled=${busy} onClick=${claim}>${t('gs.case.claim')}</button></p>
		<${ErrorBox} error=${err} />`;
}

function CaseView({ c, reload }) {
	const m = useValue(me);
	const mine = m && c.claimed_by === m.account.id;
	useTitle(t('gs.case.title', { id: c.id }));
	return html`<p><a href="/giam-sat">${t('gs.case.back')}</a></p>
		<h1 tabindex="-1">${t('gs.case.title', { id: c.id })}: ${target(c)}</h1>
		<p><span class=${'status ' + (c.status === 'open' ? 'bstatus-pending' : 'bstatus-verified')}>${t('gs.cstatus.' + c.status)}</span>
		    <span> <${Deadline} c=${c} /></span></p>
		<dl class="facts">
			<div><dt>${t('gs.case.category')}</dt><dd>${t('gs.cat.' + c.category)}</dd></div>
			<div><dt>${t('gs.case.source')}</dt><dd>${t('gs.source.' + c.source)}</dd></div>
			<div><dt>${t('gs.case.severity')}</dt><dd>${t('gs.sev.' + c.severity)}</dd></div>
			<div><dt>${t('gs.case.first_alert')}</dt><dd>${formatDateTime(c.first_alert_at)}</dd></div>
			<div><dt>${t('gs.claimed')}</dt><dd>${c.claimed_by ? (mine ? t('gs.claimed.me') : c.claimed_by_name || '#' + c.claimed_by) : t('gs.unclaimed')}</dd></div>
		</dl>
		${c.status === 'open' && !c.claimed_by && html`<${Claim} c=${c} onDone=${reload} />`}
		${mine && c.status === 'open' && html`<p class="alert alert-ok" role="status">${t('gs.case.claimed_ok')}</p>`}
		<${Evidence} ev=${c.evidence} />
		<section aria-labelledby="h-al">
			<h2 id="h-al">${t('gs.case.alerts')}</h2>
			<ul class="lines alerts">${c.evidence.alerts.map((a) => html`<${Alert} key=${a.id} a=${a} />`)}</ul>
		</section>
		${c.status === 'open' && (!c.claimed_by || mine) && html`<${Decide} c=${c} onDone=${reload} />`}
		${c.decision && html`<section aria-labelledby="h-dd">
			<h2 id="h-dd">${t('gs.decision')}</h2>
			<p class="alert alert-ok" role="status">${t('gs.decide.done')}</p>
			<${Statement} d=${c.decision} />
		</section>`}`;
}

export function Case({ params }) {
	const st = useGet('/official/cases/' + (/^\d{1,18}$/.test(params.id) ? params.id : '0'));
	return html`<${Async} state=${st}>${(c) => html`<${CaseView} c=${c} reload=${st.reload} />`}<//>`;
}

function AppealDecide({ a, onDone }) {
	const f = useForm({ outcome: 'uphold', explanation: '' });
	const p = 'ap' + a.id + '-';
	function onSubmit(e) {
		e.preventDefault();
		f.submit(async (v) => {
			const body = { outcome: v.outcome };
			if (v.explanation.trim())
				body.explanation = v.explanation.trim();
			await api('POST', '/official/appeals/' + a.id + '/decision', body);
			onDone();
		}, p);
	}
	return html`<form ref=${f.formRef} onSubmit=${onSubmit} novalidate class="narrow">
		<${FormError} msg=${f.errors._} />
		<${Select} id=${p + 'outcome'} label=${t('gs.appeals.outcome')} value=${f.values.outcome}
		    onInput=${f.set('outcome')} err=${f.errors[p + 'outcome']}
		    options=${[{ value: 'uphold', label: t('gs.appeals.uphold') }, { value: 'reverse', label: t('gs.appeals.reverse') }]} />
		<${TextArea} id=${p + 'explanation'} label=${t('gs.appeals.expl')} value=${f.values.explanation}
		    onInput=${f.set('explanation')} err=${f.errors[p + 'explanation']} rows="3" />
		<button type="submit" class="btn btn-primary" disabled=${f.busy}>${t('gs.appeals.submit')}</button>
	</form>`;
}

export function Appeals() {
	useTitle(t('gs.appeals.title'));
	const st = useGet('/official/appeals');
	const [done, setDone] = useState(false);
	return html`<h1 tabindex="-1">${t('gs.appeals.title')}</h1>
		<${MonNav} />
		${done && html`<p class="alert alert-ok" role="status">${t('gs.appeals.done')}</p>`}
		<${Async} state=${st}>${(d) => html`
			${d.items.length === 0 && html`<p>${t('gs.appeals.none')}</p>`}
			${d.items.map((a) => html`<section key=${a.id} class="appeal" aria-labelledby=${'h-ap' + a.id}>
				<h2 id=${'h-ap' + a.id}>${t('gs.appeals.of', { id: a.decision.id, c: a.decision.case_id })}</h2>
				<p><a href=${'/giam-sat/vu-viec/' + a.decision.case_id}>${t('gs.case.title', { id: a.decision.case_id })}</a></p>
				<${Statement} d=${a.decision} />
				<h3>${t('gs.appeals.seller')} (${formatDateTime(a.created_at)})</h3>
				<p>${a.explanation}</p>
				<${AppealDecide} a=${a} onDone=${() => { setDone(true); st.reload(); }} />
			</section>`)}`}
		<//>`;
}
