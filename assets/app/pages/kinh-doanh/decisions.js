/*
 * Merchant: "Quyết định xử lý" (/kinh-doanh/quyet-dinh): the decisions
 * about the caller's businesses with their statements of reasons, the
 * active penalty points and tier, and the appeal form (once, until
 * appeal_until; the API's message by its field, 409 appeal_exists or
 * appeal_window_closed above the form).  API: GET /decisions,
 * POST /decisions/{id}/appeal.
 */
import { useState } from 'preact/hooks';
import { html, useTitle, useGet, Async, FormError, useForm } from '../../ui.js';
import { api } from '../../api.js';
import { t, formatDate, formatDateTime } from '../../i18n.js';
import { TextArea } from '../bo.js';
import { Statement } from '../giam-sat/cases.js';
import '../bo-strings.js';

function AppealForm({ d, onDone }) {
	const f = useForm({ explanation: '' });
	const p = 'ap' + d.id + '-';
	function onSubmit(e) {
		e.preventDefault();
		f.submit(async (v) => {
			const body = {};
			if (v.explanation.trim())
				body.explanation = v.explanation.trim();
			await api('POST', '/decisions/' + d.id + '/appeal', body);
			onDone();
		}, p);
	}
	return html`<form ref=${f.formRef} onSubmit=${onSubmit} novalidate class="narrow appeal-form">
		<h3>${t('gs.sd.appeal')}</h3>
		<p class="muted">${t('gs.sd.until', { d: formatDate(d.appeal_until) })}</p>
		<${FormError} msg=${f.errors._} />
		<${TextArea} id=${p + 'explanation'} label=${t('gs.sd.appeal.expl')} hint=${t('gs.sd.appeal.hint')}
		    value=${f.values.explanation} onInput=${f.set('explanation')} err=${f.errors[p + 'explanation']} rows="4" />
		<button type="submit" class="btn btn-primary" disabled=${f.busy}>${t('gs.sd.appeal.submit')}</button>
	</form>`;
}

function Appeal({ a }) {
	return html`<div class="appeal">
		<p><span class=${'status ' + (a.status === 'reversed' ? 'bstatus-verified' : a.status === 'upheld' ? 'bstatus-rejected' : '')}>${t('gs.sd.appeal.status.' + a.status)}</span>
		    <span class="muted"> ${formatDateTime(a.created_at)}</span></p>
		<p>${a.explanation}</p>
		${a.outcome && html`<p><strong>${t('gs.appeals.expl')}:</strong> ${a.outcome.explanation}</p>`}
	</div>`;
}

function Decision({ d, onDone }) {
	const open = !d.appeal && new Date(d.appeal_until).getTime() > Date.now();
	const what = d.product ? d.product.name : d.store ? d.store.name : '';
	return html`<li class="decision">
		<h2 id=${'h-d' + d.id}>${t('gs.action.' + d.action)}: ${what}</h2>
		<${Statement} d=${d} />
		${d.appeal && html`<${Appeal} a=${d.appeal} />`}
		${open && html`<${AppealForm} d=${d} onDone=${onDone} />`}
		${!d.appeal && !open && html`<p class="muted">${t('gs.sd.closed')}</p>`}
	</li>`;
}

export default function Decisions() {
	useTitle(t('gs.sd.title'));
	const st = useGet('/decisions');
	const [sent, setSent] = useState(false);
	return html`<h1 tabindex="-1">${t('gs.sd.title')}</h1>
		<p>${t('gs.sd.intro')}</p>
		${sent && html`<p class="alert alert-ok" role="status">${t('gs.sd.appeal.sent')}</p>`}
		<${Async} state=${st}>${(d) => html`
			${d.penalties.filter((x) => x.points > 0).map((x) => html`<p key=${x.business_id}>${t('gs.sd.points', { p: x.points })}${
			    x.tier ? ' · ' + t('gs.sd.tier', { t: t('gs.tier.' + x.tier) }) : ''}</p>`)}
			${d.items.length === 0 && html`<p>${t('gs.sd.none')}</p>`}
			<ul class="lines decisions">${d.items.map((x) => html`<${Decision} key=${x.id} d=${x}
			    onDone=${() => { setSent(true); st.reload(); }} />`)}</ul>`}
		<//>`;
}
