/*
 * Merchant: a store's orders by status, one order with the actions its
 * state allows (sql/api/50_orders.sql api.order_next_status: confirm, ship
 * with carrier and tracking number, delivered with the cash collected for
 * COD, cancel with a reason, refund), the e-invoice reference, history.
 */
import { useState } from 'preact/hooks';
import { html, useTitle, useGet, Async, Field, FormError, useForm, Money, StatusBadge, ErrorBox, Loading } from '../../ui.js';
import { api } from '../../api.js';
import { t, formatDate, formatDateTime } from '../../i18n.js';
import { navigate } from '../../router.js';
import { Select, TextArea, usePaged, num } from '../bo.js';
import { StoreNav, useMyStore, slugOk } from './store.js';
import '../bo-strings.js';

const STATUSES = ['pending_payment', 'placed', 'paid', 'confirmed', 'shipped', 'delivered',
    'completed', 'cancelled', 'refunded', 'expired'];
const CARRIERS = ['own', 'vnpost', 'viettelpost', 'ghn', 'ghtk', 'jnt'];

export function StoreOrders({ params, query }) {
	const slug = slugOk(params.slug) ? params.slug : 'x--';
	const mine = useMyStore(slug);
	const status = STATUSES.includes(query.get('status')) ? query.get('status') : '';
	useTitle(t('sorder.title'));
	const st = usePaged('/stores/' + slug + '/orders', { status }, slug + status);
	return html`<h1 tabindex="-1">${t('sorder.title')}</h1>
		<${StoreNav} slug=${slug} name=${mine ? mine.name : ''} />
		<div class="toolbar">
			<${Select} id="so-status" label=${t('bo.filter')} value=${status}
			    onInput=${(v) => navigate('/kinh-doanh/cua-hang/' + slug + '/don-hang' + (v ? '?status=' + v : ''), { replace: true, keepFocus: true })}
			    options=${[{ value: '', label: t('bo.all') }].concat(STATUSES.map((s) => ({ value: s, label: t('status.' + s) })))} />
			<a class="btn" href=${'/api/v1/stores/' + slug + '/invoices.csv'} download>${t('store.invoices')}</a>
		</div>
		<${ErrorBox} error=${st.error} onRetry=${st.reload} />
		${!st.loading && !st.error && st.items.length === 0 && html`<p>${t('sorder.none')}</p>`}
		<ul class="lines orders">${st.items.map((o) => html`<li key=${o.id} class="line order">
			<div class="line-main">
				<a href=${'/kinh-doanh/don-hang/' + o.id}><span class="sr-only">${t('orders.code')} </span>${o.code}</a>
				<span class="muted">${formatDate(o.created_at)} · ${t('checkout.pay.' + o.payment_method)}</span>
				<span class="muted">${o.lines.map((l) => l.qty + ' × ' + l.name).join(', ')}</span>
			</div>
			<${StatusBadge} status=${o.status} />
			<div class="line-total"><${Money} vnd=${o.total_vnd} /></div>
		</li>`)}</ul>
		${st.loading && html`<${Loading} />`}
		${st.next && !st.loading && html`<p class="center"><button type="button" class="btn" onClick=${st.more}>${t('bo.more')}</button></p>`}`;
}

/* One action form: the fields it needs, then POST /orders/{id}/actions. */
function ActionForm({ o, action, label, fields, danger, onDone }) {
	const init = { note: '', carrier: o.shipping.carrier || 'own', tracking_no: '',
	    cash_collected_vnd: String(o.total_vnd), amount_vnd: String(o.total_vnd) };
	const f = useForm(init);
	const [open, setOpen] = useState(fields.length === 0);
	function onSubmit(e) {
		e.preventDefault();
		f.submit(async (v) => {
			const body = { action };
			for (const k of fields) {
				const x = k.endsWith('_vnd') ? num(v[k]) : String(v[k]).trim();
				if (x !== undefined && x !== '')
					body[k] = x;
			}
			await api('POST', '/orders/' + o.id + '/actions', body);
			onDone();
		}, 'oa-' + action + '-');
	}
	if (!open)
		return html`<button type="button" class=${'btn' + (danger ? '' : ' btn-primary')}
		    onClick=${() => setOpen(true)}>${label}</button>`;
	const id = (k) => 'oa-' + action + '-' + k;
	return html`<form ref=${f.formRef} onSubmit=${onSubmit} novalidate class="action-form"
	    aria-label=${label}>
		<${FormError} msg=${f.errors._} />
		${fields.includes('carrier') && html`<${Select} id=${id('carrier')} label=${t('ship.carrier')}
		    value=${f.values.carrier} onInput=${f.set('carrier')} err=${f.errors[id('carrier')]}
		    options=${CARRIERS.map((c) => ({ value: c, label: t('carrier.' + c) }))} />`}
		${fields.includes('tracking_no') && html`<${Field} id=${id('tracking_no')} label=${t('sorder.tracking_no')}
		    value=${f.values.tracking_no} onInput=${f.set('tracking_no')} err=${f.errors[id('tracking_no')]} required />`}
		${fields.includes('cash_collected_vnd') && html`<${Field} id=${id('cash_collected_vnd')} label=${t('sorder.cash')}
		    inputmode="numeric" value=${f.values.cash_collected_vnd} onInput=${f.set('cash_collected_vnd')}
		    err=${f.errors[id('cash_collected_vnd')]} />`}
		${fields.includes('amount_vnd') && html`<${Field} id=${id('amount_vnd')} label=${t('sorder.refund.amount')}
		    inputmode="numeric" value=${f.values.amount_vnd} onInput=${f.set('amount_vnd')} err=${f.errors[id('amount_vnd')]} />`}
		${fields.includes('note') && html`<${TextArea} id=${id('note')} label=${action === 'cancel' ? t('sorder.cancel.reason') : t('bo.reason')}
		    value=${f.values.note} onInput=${f.set('note')} err=${f.errors[id('note')]} rows="2" />`}
		<div class="actions">
			<button type="submit" class=${'btn ' + (danger ? 'btn-danger' : 'btn-primary')} disabled=${f.busy}>${label}</button>
			${fields.length > 0 && html`<button type="button" class="btn" onClick=${() => setOpen(false)}>${t('common.back')}</button>`}
		</div>
	</form>`;
}

function InvoiceForm({ o, onDone }) {
	const inv = o.invoice || {};
	const keys = ['form', 'series', 'number', 'issued_on', 'lookup_code'];
	const init = {};
	keys.forEach((k) => { init[k] = inv[k] || ''; });
	const f = useForm(init);
	const [ok, setOk] = useState(false);
	function onSubmit(e) {
		e.preventDefault();
		setOk(false);
		f.submit(async (v) => {
			const body = {};
			keys.forEach((k) => { body[k] = String(v[k]).trim(); });
			await api('PUT', '/orders/' + o.id + '/invoice', body);
			setOk(true);
			onDone();
		}, 'inv-');
	}
	return html`<form ref=${f.formRef} onSubmit=${onSubmit} novalidate class="narrow">
		<${FormError} msg=${f.errors._} />
		${ok && html`<p class="alert alert-ok" role="status">${t('bo.saved')}</p>`}
		${keys.map((k) => html`<${Field} key=${k} id=${'inv-' + k} label=${t('sorder.invoice.' + k)}
		    type=${k === 'issued_on' ? 'date' : 'text'} value=${f.values[k]} onInput=${f.set(k)} err=${f.errors['inv-' + k]} />`)}
		<button type="submit" class="btn btn-primary" disabled=${f.busy}>${t('bo.save')}</button>
	</form>`;
}

function OrderView({ o, reload }) {
	useTitle(o.code);
	const [done, setDone] = useState(false);
	const after = () => { setDone(true); reload(); };
	const a = o.shipping_address;
	const s = o.status;
	const canInvoice = !!o.paid_at || ['delivered', 'completed'].includes(s) || (o.invoice && true);
	return html`<h1 tabindex="-1">${t('orders.code')} ${o.code}</h1>
		<${StoreNav} slug=${o.store.slug} name=${o.store.name} />
		<p><${StatusBadge} status=${s} /> <span class="muted">${t('orders.date')} ${formatDate(o.created_at)} · ${t('checkout.pay.' + o.payment_method)}</span></p>
		${done && html`<p class="alert alert-ok" role="status">${t('sorder.done')}</p>`}
		${o.refund && html`<p>${t('sorder.refund.status', { status: o.refund.status })}${o.refund.amount_vnd ? html` · <${Money} vnd=${o.refund.amount_vnd} />` : ''}</p>`}
		<div class="actions order-actions" key=${s}>
			${(s === 'placed' || s === 'paid') && html`<${ActionForm} o=${o} action="confirm" label=${t('sorder.confirm')} fields=${[]} onDone=${after} />`}
			${s === 'confirmed' && html`<${ActionForm} o=${o} action="ship" label=${t('sorder.ship')} fields=${['carrier', 'tracking_no']} onDone=${after} />`}
			${s === 'shipped' && html`<${ActionForm} o=${o} action="deliver" label=${t('sorder.deliver')}
			    fields=${o.payment_method === 'cod' ? ['cash_collected_vnd'] : []} onDone=${after} />`}
			${['pending_payment', 'placed', 'paid', 'confirmed'].includes(s) && html`<${ActionForm} o=${o} action="cancel"
			    label=${t('sorder.cancel')} fields=${['note']} danger onDone=${after} />`}
			${['cancelled', 'delivered', 'completed'].includes(s) && (o.paid_at || o.cash_collected_vnd) && html`<${ActionForm} o=${o}
			    action="refund" label=${t('sorder.refund')} fields=${['amount_vnd', 'note']} danger onDone=${after} />`}
		</div>
		<section aria-labelledby="h-lines">
			<h2 id="h-lines">${t('orders.lines')}</h2>
			<ul class="lines">${o.lines.map((l) => html`<li key=${l.product_id} class="line">
				<div class="line-main">${l.name}</div>
				<span class="muted">${l.qty} × <${Money} vnd=${l.unit_price_vnd} /></span>
				<div class="line-total"><${Money} vnd=${l.line_total_vnd} /></div>
			</li>`)}</ul>
			<dl class="facts">
				<div><dt>${t('orders.subtotal')}</dt><dd><${Money} vnd=${o.subtotal_vnd} /></dd></div>
				<div><dt>${t('orders.shipping_fee')}</dt><dd><${Money} vnd=${o.shipping_fee_vnd} /></dd></div>
				<div><dt>${t('orders.total')}</dt><dd><strong><${Money} vnd=${o.total_vnd} /></strong></dd></div>
				${o.shipping.tracking_no && html`<div><dt>${t('orders.tracking')}</dt><dd>${t('carrier.' + o.shipping.carrier)} ${o.shipping.tracking_no}</dd></div>`}
				${o.cash_collected_vnd !== null && o.cash_collected_vnd !== undefined && html`<div><dt>${t('sorder.cash')}</dt><dd><${Money} vnd=${o.cash_collected_vnd} /></dd></div>`}
			</dl>
		</section>
		${a && html`<section aria-labelledby="h-addr">
			<h2 id="h-addr">${t('orders.address')}</h2>
			<p>${a.recipient} · ${a.phone}<br />${[a.address, a.ward, a.province].join(', ')}</p>
		</section>`}
		${canInvoice && html`<section aria-labelledby="h-inv">
			<h2 id="h-inv">${t('sorder.invoice')}</h2>
			<${InvoiceForm} o=${o} onDone=${reload} />
		</section>`}
		<section aria-labelledby="h-hist">
			<h2 id="h-hist">${t('orders.history')}</h2>
			<ol class="history">${(o.history || []).map((h, i) => html`<li key=${i}>
				<time datetime=${h.at}>${formatDateTime(h.at)}</time>
				<${StatusBadge} status=${h.to} />
				${h.by && html`<span class="muted"> (${t('by.' + h.by)})</span>`}
				${h.note && html`<span> — ${h.note}</span>`}
			</li>`)}</ol>
		</section>`;
}

export function StoreOrder({ params }) {
	const st = useGet('/orders/' + (/^\d{1,18}$/.test(params.id) ? params.id : '0'));
	return html`<${Async} state=${st}>${(o) => html`<${OrderView} o=${o} reload=${st.reload} />`}<//>`;
}
