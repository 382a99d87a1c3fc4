/*
 * Official: the business verification queue (oldest first, by status) and
 * one application with its history and the decision form (approve,
 * reject with a reason, suspend with a reason, reinstate).
 */
import { useState } from 'preact/hooks';
import { html, useTitle, useGet, Async, FormError, useForm, ErrorBox, Loading } from '../../ui.js';
import { api } from '../../api.js';
import { t, formatDate } from '../../i18n.js';
import { navigate } from '../../router.js';
import { Select, TextArea, usePaged } from '../bo.js';
import { BizStatus, History } from '../kinh-doanh/business.js';
import '../bo-strings.js';

const STATUSES = ['pending', 'verified', 'rejected', 'suspended'];
const KIND = (k) => (k === 'production_facility' ? t('biz.kind.production_facility') : t('seller.kind.' + k));

export default function Queue({ query }) {
	const status = STATUSES.includes(query.get('status')) ? query.get('status') : 'pending';
	useTitle(t('off.title'));
	const st = usePaged('/official/businesses', { status }, status);
	return html`<h1 tabindex="-1">${t('off.title')}</h1>
		<div class="toolbar">
			<${Select} id="q-status" label=${t('bo.filter')} value=${status}
			    onInput=${(v) => navigate('/can-bo/doanh-nghiep?status=' + v, { replace: true, keepFocus: true })}
			    options=${STATUSES.map((s) => ({ value: s, label: t('bstatus.' + s) }))} />
		</div>
		<${ErrorBox} error=${st.error} onRetry=${st.reload} />
		${!st.loading && !st.error && st.items.length === 0 && html`<p>${t('off.none')}</p>`}
		<ul class="lines queue">${st.items.map((b) => html`<li key=${b.id} class="line">
			<div class="line-main">
				<a href=${'/can-bo/doanh-nghiep/' + b.id}>${b.name}</a>
				<span class="muted">${KIND(b.kind)} · ${t('biz.tax_code')} ${b.tax_code} · ${b.province}</span>
				<span class="muted">${t('off.submitted')} ${formatDate(b.updated_at)}</span>
			</div>
			<${BizStatus} status=${b.status} />
		</li>`)}</ul>
		${st.loading && html`<${Loading} />`}
		${st.next && !st.loading && html`<p class="center"><button type="button" class="btn" onClick=${st.more}>${t('bo.more')}</button></p>`}`;
}

/* Decisions open from each status (sql/api/20_business.sql). */
const DECISIONS = { pending: ['approve', 'reject'], verified: ['suspend'], suspended: ['reinstate'], rejected: [] };

function Decide({ b, onDone }) {
	const f = useForm({ reason: '' });
	const [ok, setOk] = useState(false);
	function act(decision) {
		setOk(false);
		f.submit(async (v) => {
			const body = { decision };
			if (v.reason.trim())
				body.reason = v.reason.trim();
			await api('POST', '/businesses/' + b.id + '/decision', body);
			setOk(true);
			f.set('reason')('');
			onDone();
		}, { reason: 'dc-reason', decision: 'dc-reason' });
	}
	const ds = DECISIONS[b.status] || [];
	return html`<section aria-labelledby="h-dec">
		<h2 id="h-dec">${t('off.decide')}</h2>
		${ok && html`<p class="alert alert-ok" role="status">${t('off.done')}</p>`}
		${ds.length > 0 && html`<form ref=${f.formRef} onSubmit=${(e) => e.preventDefault()} novalidate class="narrow">
			<${FormError} msg=${f.errors._} />
			<${TextArea} id="dc-reason" label=${t('bo.reason')} hint=${t('off.reason.hint')} value=${f.values.reason}
			    onInput=${f.set('reason')} err=${f.errors['dc-reason']} rows="3" />
			<div class="actions">${ds.map((d) => html`<button key=${d} type="button" disabled=${f.busy}
			    class=${'btn ' + (d === 'approve' || d === 'reinstate' ? 'btn-primary' : 'btn-danger')}
			    onClick=${() => act(d)}>${t('baction.' + d)}</button>`)}</div>
		</form>`}
	</section>`;
}

const FIELDS = ['tax_code', 'name', 'kind', 'registration_no', 'registration_date',
    'registration_issuer', 'representative', 'address', 'ward', 'province', 'phone', 'email'];

function View({ b, reload }) {
	useTitle(b.name);
	return html`<p><a href="/can-bo/doanh-nghiep">${t('off.back')}</a></p>
		<h1 tabindex="-1">${b.name}</h1>
		<p><${BizStatus} status=${b.status} /></p>
		<dl class="facts">${FIELDS.map((k) => html`<div key=${k}><dt>${t('biz.' + k)}</dt><dd>${
		    k === 'kind' ? KIND(b.kind) : k === 'registration_date' && b[k] ? formatDate(b[k]) : b[k]}</dd></div>`)}</dl>
		<${Decide} b=${b} onDone=${reload} />
		<section aria-labelledby="h-hist">
			<h2 id="h-hist">${t('bo.history')}</h2>
			<${History} items=${b.history || []} />
		</section>`;
}

export function Review({ params }) {
	const st = useGet('/businesses/' + (/^\d{1,18}$/.test(params.id) ? params.id : '0'));
	return html`<${Async} state=${st}>${(b) => html`<${View} b=${b} reload=${st.reload} />`}<//>`;
}
