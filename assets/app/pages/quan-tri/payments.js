/*
 * Admin: payment reconciliation (/quan-tri/thanh-toan).  Payment attempts
 * by status, provider and Vietnam days (GET /admin/payments, keyset "Xem
 * thêm"), and the callbacks the floor refused (GET /admin/payments/
 * callbacks?outcome=rejected: wrong amount, unknown reference, money for
 * an expired or superseded attempt -- to refund or investigate).  A
 * filter the API refuses shows its message by the field it names.
 */
import { useState } from 'preact/hooks';
import { html, useTitle, Field, Money, ErrorBox, Loading } from '../../ui.js';
import { t, formatDateTime } from '../../i18n.js';
import { Select, usePaged } from '../bo.js';
import { AdminNav } from './admin.js';
import '../bo-strings.js';
import './strings.js';

const STATUSES = ['', 'pending', 'paid', 'failed'];
const PROVIDERS = ['', 'vnpay', 'momo', 'vietqr'];

function Filters({ onApply }) {
	const [v, setV] = useState({ status: '', provider: '', from: '', to: '' });
	const set = (k) => (x) => setV((s) => ({ ...s, [k]: x }));
	return html`<form class="filter-form" onSubmit=${(e) => { e.preventDefault(); onApply(v); }}>
		<${Select} id="pay-status" label=${t('adm.pay.status')} value=${v.status} onInput=${set('status')}
		    options=${STATUSES.map((s) => ({ value: s, label: s ? t('adm.pay.status.' + s) : t('adm.pay.any') }))} />
		<${Select} id="pay-provider" label=${t('adm.pay.provider')} value=${v.provider} onInput=${set('provider')}
		    options=${PROVIDERS.map((s) => ({ value: s, label: s ? t('adm.pay.provider.' + s) : t('adm.pay.any') }))} />
		<${Field} id="pay-from" type="date" label=${t('adm.pay.from')} value=${v.from} onInput=${set('from')} />
		<${Field} id="pay-to" type="date" label=${t('adm.pay.to')} value=${v.to} onInput=${set('to')} />
		<div class="actions"><button type="submit" class="btn btn-primary">${t('adm.pay.apply')}</button></div>
	</form>`;
}

export default function Payments() {
	useTitle(t('adm.pay'));
	const [f, setF] = useState({});
	const key = JSON.stringify(f);
	const list = usePaged('/admin/payments', { ...f, limit: 50 }, key);
	const rej = usePaged('/admin/payments/callbacks', { outcome: 'rejected', limit: 20 }, 'rejected');
	const ferr = list.error && list.error.field;
	return html`<h1 tabindex="-1">${t('adm.pay')}</h1>
		<${AdminNav} />
		<section aria-labelledby="h-pay">
			<h2 id="h-pay">${t('adm.pay.list')}</h2>
			<${Filters} onApply=${(v) => setF(Object.fromEntries(Object.entries(v).filter(([, x]) => x)))} />
			${ferr ? html`<p class="field-error" role="alert" data-field=${'pay-' + ferr}>${t('adm.pay.' + ferr)}: ${list.error.message}</p>`
			    : list.error && html`<${ErrorBox} error=${list.error} onRetry=${list.reload} />`}
			${!list.error && !list.loading && list.items.length === 0 && html`<p>${t('adm.pay.none')}</p>`}
			${list.items.length > 0 && html`<div class="table-wrap" tabindex="0" role="region" aria-labelledby="h-pay"><table class="table payments">
				<thead><tr><th scope="col">${t('adm.pay.id')}</th><th scope="col">${t('adm.pay.created')}</th>
				    <th scope="col">${t('adm.pay.provider')}</th><th scope="col">${t('adm.pay.ref')}</th>
				    <th scope="col" class="right">${t('adm.pay.amount')}</th><th scope="col">${t('adm.pay.status')}</th>
				    <th scope="col">${t('adm.pay.settled')}</th></tr></thead>
				<tbody>${list.items.map((p) => html`<tr key=${p.id}>
					<td>${p.id}</td><td>${formatDateTime(p.created_at)}</td>
					<td>${t('adm.pay.provider.' + p.provider)}</td><td class="wrap">${p.txn_ref}</td>
					<td class="right"><${Money} vnd=${p.amount_vnd} /></td>
					<td>${t('adm.pay.status.' + p.status)}</td>
					<td>${p.settled_at ? formatDateTime(p.settled_at) : '—'}</td></tr>`)}</tbody>
			</table></div>`}
			${list.loading && html`<${Loading} />`}
			${list.next && !list.loading && html`<p><button type="button" class="btn" onClick=${list.more}>${t('adm.acc.more')}</button></p>`}
		</section>
		<section aria-labelledby="h-rej">
			<h2 id="h-rej">${t('adm.pay.rejected')}</h2>
			<p class="muted">${t('adm.pay.rejected.intro')}</p>
			${rej.error && html`<${ErrorBox} error=${rej.error} onRetry=${rej.reload} />`}
			${!rej.error && !rej.loading && rej.items.length === 0 && html`<p>${t('adm.pay.rejected.none')}</p>`}
			${rej.items.length > 0 && html`<div class="table-wrap" tabindex="0" role="region" aria-labelledby="h-rej"><table class="table callbacks">
				<thead><tr><th scope="col">${t('adm.pay.received')}</th><th scope="col">${t('adm.pay.provider')}</th>
				    <th scope="col">${t('adm.pay.ref')}</th><th scope="col" class="right">${t('adm.pay.amount')}</th>
				    <th scope="col" class="right">${t('adm.pay.expected')}</th><th scope="col">${t('adm.pay.reason')}</th></tr></thead>
				<tbody>${rej.items.map((c) => html`<tr key=${c.id}>
					<td>${formatDateTime(c.received_at)}</td><td>${t('adm.pay.provider.' + c.provider)}</td>
					<td class="wrap">${c.txn_ref || '—'}</td>
					<td class="right">${c.amount_vnd != null ? html`<${Money} vnd=${c.amount_vnd} />` : '—'}</td>
					<td class="right">${c.expected_vnd != null ? html`<${Money} vnd=${c.expected_vnd} />` : '—'}</td>
					<td>${c.reason || '—'}</td></tr>`)}</tbody>
			</table></div>`}
			${rej.loading && html`<${Loading} />`}
			${rej.next && !rej.loading && html`<p><button type="button" class="btn" onClick=${rej.more}>${t('adm.acc.more')}</button></p>`}
		</section>`;
}
