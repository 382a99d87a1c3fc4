/* "Đơn hàng của tôi": the buyer's orders, one order with its history. */
import { useEffect, useState } from 'preact/hooks';
import { html, useTitle, useGet, Async, Money, StatusBadge, ErrorBox, Loading } from '../ui.js';
import { api, get, qs } from '../api.js';
import { t, formatDate, formatDateTime } from '../i18n.js';

export function Orders() {
	useTitle(t('orders.title'));
	const [st, set] = useState({ items: [], next: null, loading: true, error: null });
	async function load(after) {
		set((s) => ({ ...s, loading: true, error: null }));
		try {
			const d = await get('/orders' + qs({ after }));
			set((s) => ({ items: (after ? s.items : []).concat(d.items), next: d.next, loading: false, error: null }));
		} catch (error) {
			set((s) => ({ ...s, loading: false, error }));
		}
	}
	useEffect(() => { load(); }, []);
	return html`<h1 tabindex="-1">${t('orders.title')}</h1>
		<${ErrorBox} error=${st.error} />
		${!st.loading && !st.error && st.items.length === 0 && html`<p>${t('orders.none')}</p>`}
		<ul class="lines orders">${st.items.map((o) => html`<li key=${o.id} class="line order">
			<div class="line-main">
				<a href=${'/don-hang/' + o.id}><span class="sr-only">${t('orders.code')} </span>${o.code}</a>
				<span class="muted">${o.store.name} · ${formatDate(o.created_at)}</span>
				<span class="muted">${o.lines.map((l) => l.name).join(', ')}</span>
			</div>
			<${StatusBadge} status=${o.status} />
			<div class="line-total"><${Money} vnd=${o.total_vnd} /></div>
		</li>`)}</ul>
		${st.loading && html`<${Loading} />`}
		${st.next && !st.loading && html`<p class="center"><button type="button" class="btn"
		    onClick=${() => load(st.next)}>${t('orders.more')}</button></p>`}`;
}

/* The buyer's cancel transitions (sql/api/50_orders.sql). */
const CANCELLABLE = ['pending_payment', 'placed', 'paid', 'confirmed'];

function Actions({ o, reload }) {
	const [err, setErr] = useState(null);
	const [asking, setAsking] = useState(false);
	const [busy, setBusy] = useState(false);
	async function act(body) {
		setBusy(true);
		setErr(null);
		try {
			await api('POST', '/orders/' + o.id + '/actions', body);
			setAsking(false);
			reload();
		} catch (e) {
			setErr(e);
		} finally {
			setBusy(false);
		}
	}
	async function payVnpay() {
		setErr(null);
		try {
			const p = await api('POST', '/order-groups/' + o.group_id + '/payments', { provider: 'vnpay' });
			window.location.assign(p.payment_url);
		} catch (e) {
			setErr(e);
		}
	}
	return html`<div class="actions">
		<${ErrorBox} error=${err} />
		${o.status === 'pending_payment' && o.payment_method === 'vnpay' && html`
		    <button type="button" class="btn btn-primary" onClick=${payVnpay}>${t('orders.pay')}</button>`}
		${o.status === 'delivered' && html`<button type="button" class="btn btn-primary" disabled=${busy}
		    onClick=${() => act({ action: 'complete' })}>${t('orders.complete')}</button>`}
		${CANCELLABLE.includes(o.status) && !asking && html`<button type="button" class="btn"
		    onClick=${() => setAsking(true)}>${t('orders.cancel')}</button>`}
		${asking && html`<div class="confirm" role="group" aria-label=${t('orders.cancel')}>
			<p>${t('orders.cancel.confirm', { code: o.code })}</p>
			<button type="button" class="btn btn-danger" disabled=${busy}
			    onClick=${() => act({ action: 'cancel' })}>${t('orders.cancel')}</button>
			<button type="button" class="btn" onClick=${() => setAsking(false)}>${t('common.back')}</button>
		</div>`}
	</div>`;
}

function View({ o, reload }) {
	useTitle(o.code);
	const a = o.shipping_address;
	return html`<h1 tabindex="-1">${t('orders.code')} ${o.code}</h1>
		<p><${StatusBadge} status=${o.status} /> <span class="muted">${t('orders.date')} ${formatDate(o.created_at)} · ${o.store.name}</span></p>
		<${Actions} o=${o} reload=${reload} />
		<section aria-labelledby="h-lines">
			<h2 id="h-lines">${t('orders.lines')}</h2>
			<ul class="lines">${o.lines.map((l) => html`<li key=${l.product_id} class="line">
				<div class="line-main"><a href=${'/san-pham/' + l.product_id}>${l.name}</a></div>
				<span class="muted">${l.qty} × <${Money} vnd=${l.unit_price_vnd} /></span>
				<div class="line-total"><${Money} vnd=${l.line_total_vnd} /></div>
			</li>`)}</ul>
			<dl class="facts">
				<div><dt>${t('orders.subtotal')}</dt><dd><${Money} vnd=${o.subtotal_vnd} /></dd></div>
				<div><dt>${t('orders.shipping_fee')}</dt><dd><${Money} vnd=${o.shipping_fee_vnd} /></dd></div>
				<div><dt>${t('orders.total')}</dt><dd><strong><${Money} vnd=${o.total_vnd} /></strong></dd></div>
				<div><dt>${t('checkout.payment')}</dt><dd>${t('checkout.pay.' + o.payment_method)}</dd></div>
				${o.shipping && o.shipping.tracking_no && html`<div><dt>${t('orders.tracking')}</dt><dd>${o.shipping.carrier} ${o.shipping.tracking_no}</dd></div>`}
			</dl>
		</section>
		${a && html`<section aria-labelledby="h-addr">
			<h2 id="h-addr">${t('orders.address')}</h2>
			<p>${a.recipient} · ${a.phone}<br />${[a.address, a.ward, a.province].join(', ')}</p>
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

export function OrderDetail({ params }) {
	const st = useGet('/orders/' + (/^[0-9]{1,18}$/.test(params.id) ? params.id : '0'));
	return html`<${Async} state=${st}>${(o) => html`<${View} o=${o} reload=${st.reload} />`}<//>`;
}
