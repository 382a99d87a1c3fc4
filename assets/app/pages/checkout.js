/*
 * Checkout: delivery address, a shipping method per store (with its fee),
 * payment method; POST /orders with an Idempotency-Key made once per
 * checkout attempt (a retry of the same body reuses it, so a lost answer
 * never places two orders).  Then: VNPay → its payment URL; VietQR → the
 * QR with amount and reference; MoMo → the payment attempt is made (its
 * signed create request goes to MoMo from the server side; the order turns
 * paid on MoMo's IPN) and its reference shown; cash on delivery → done.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { html, useTitle, useGet, Async, Money, Field, FormError, useForm, ErrorBox } from '../ui.js';
import { api, get } from '../api.js';
import { t, formatMoney } from '../i18n.js';
import { refreshCart } from '../session.js';
import { usePlaces, PlaceLists } from '../places.js';

/* 128 random bits, hex (crypto.getRandomValues works without HTTPS too). */
function newKey() {
	const b = new Uint8Array(16);
	crypto.getRandomValues(b);
	return 'web-' + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

function feeText(m) {
	let s = m.fee_rule === 'flat'
	    ? (m.fee_vnd ? formatMoney(m.fee_vnd) : t('checkout.free'))
	    : m.weight_tiers.map((w) => formatMoney(w.fee_vnd)).join(' – ');
	if (m.free_over_vnd)
		s += ', ' + t('checkout.free_over', { amount: formatMoney(m.free_over_vnd) });
	return s;
}

function StoreShipping({ store, value, onChange }) {
	const st = useGet('/stores/' + encodeURIComponent(store.slug) + '/shipping-methods');
	useEffect(() => {
		if (st.data && st.data.items.length && !value)
			onChange(st.data.items[0].id);
	}, [st.data]);
	return html`<fieldset class="choices">
		<legend>${t('checkout.shipping.for', { store: store.name })}</legend>
		<${Async} state=${st}>${(d) => d.items.map((m) => html`<label key=${m.id} class="choice">
			<input type="radio" name=${'ship-' + store.slug} value=${m.id}
			    checked=${value === m.id} onChange=${() => onChange(m.id)} />
			<span>${m.name} <span class="muted">(${feeText(m)})</span></span>
		</label>`)}<//>
	</fieldset>`;
}

const PAY = ['cod', 'vnpay', 'momo', 'vietqr'];

function Done({ res, pay }) {
	return html`<section class="narrow">
		<h1 tabindex="-1">${t('checkout.placed')}</h1>
		<ul class="lines">${res.orders.map((o) => html`<li key=${o.id} class="line">
			<a href=${'/don-hang/' + o.id}>${o.code}</a> · ${o.store.name} · <${Money} vnd=${o.total_vnd} />
		</li>`)}</ul>
		${pay && pay.provider === 'vietqr' && html`<div class="qrpay">
			<p>${t('checkout.vietqr', { amount: formatMoney(pay.amount_vnd), ref: pay.txn_ref })}</p>
			<img src=${pay.qr_svg_url} width="240" height="240"
			    alt=${t('checkout.vietqr.alt', { amount: formatMoney(pay.amount_vnd) })} />
		</div>`}
		${pay && pay.provider === 'vnpay' && html`<p role="status">${t('checkout.redirect')}</p>`}
		${pay && pay.provider === 'momo' && html`<div class="alert alert-ok momopay" role="status">
			<p>${t('checkout.momo')}</p>
			<p>${t('checkout.momo.wait', { ref: pay.txn_ref, amount: formatMoney(pay.amount_vnd) })}</p>
		</div>`}
		<p><a class="btn btn-primary" href="/don-hang">${t('checkout.see_orders')}</a></p>
	</section>`;
}

export default function Checkout() {
	useTitle(t('checkout.title'));
	const cart = useGet('/cart');
	const f = useForm({ recipient: '', phone: '', address: '', ward: '', province: 'Tây Ninh', pm: 'cod' });
	const places = usePlaces(f.values.province);
	const [ship, setShip] = useState({});
	const [done, setDone] = useState(null);
	const [payErr, setPayErr] = useState(null);
	const key = useRef({ body: null, key: null });

	async function pay(res, provider) {
		try {
			const p = await api('POST', '/order-groups/' + res.group_id + '/payments', { provider });
			setDone({ res, pay: p });
			if (provider === 'vnpay' && p.payment_url)
				window.location.assign(p.payment_url);
		} catch (e) {
			setPayErr(e);
		}
	}

	function onSubmit(e) {
		e.preventDefault();
		f.submit(async (v) => {
			const body = {
				items: cart.data.items.map((i) => ({ product_id: i.product_id, qty: i.qty })),
				shipping_address: { recipient: v.recipient.trim(), phone: v.phone.trim(),
				    address: v.address.trim(), ward: v.ward.trim(), province: v.province.trim() },
				shipping: ship,
				payment_method: v.pm,
			};
			const json = JSON.stringify(body);
			if (key.current.body !== json)
				key.current = { body: json, key: newKey() };
			const res = await api('POST', '/orders', body, { 'Idempotency-Key': key.current.key });
			refreshCart();
			setDone({ res, pay: null });
			if (v.pm !== 'cod')
				await pay(res, v.pm);
		}, { recipient: 'ck-recipient', phone: 'ck-phone', address: 'ck-address',
		    ward: 'ck-ward', province: 'ck-province', payment_method: 'ck-pm',
		    'shipping_address.recipient': 'ck-recipient', 'shipping_address.phone': 'ck-phone',
		    'shipping_address.address': 'ck-address', 'shipping_address.ward': 'ck-ward',
		    'shipping_address.province': 'ck-province' });
	}

	if (done)
		return html`<${ErrorBox} error=${payErr} /><${Done} ...${done} />`;

	return html`<h1 tabindex="-1">${t('checkout.title')}</h1>
		<${Async} state=${cart}>${(c) => {
			if (c.items.length === 0)
				return html`<p>${t('cart.empty')}</p>`;
			const stores = [];
			c.items.forEach((i) => { if (!stores.find((s) => s.slug === i.store.slug)) stores.push(i.store); });
			return html`<form ref=${f.formRef} onSubmit=${onSubmit} novalidate class="checkout">
				<${FormError} msg=${f.errors._} />
				<fieldset>
					<legend>${t('checkout.address')}</legend>
					<${Field} id="ck-recipient" label=${t('checkout.recipient')} autocomplete="name"
					    value=${f.values.recipient} onInput=${f.set('recipient')} err=${f.errors['ck-recipient']} required />
					<${Field} id="ck-phone" label=${t('checkout.phone')} type="tel" autocomplete="tel"
					    value=${f.values.phone} onInput=${f.set('phone')} err=${f.errors['ck-phone']} required />
					<${Field} id="ck-address" label=${t('checkout.street')} autocomplete="street-address"
					    value=${f.values.address} onInput=${f.set('address')} err=${f.errors['ck-address']} required />
					<${Field} id="ck-province" label=${t('checkout.province')} autocomplete="address-level1"
					    list="ck-provinces"
					    value=${f.values.province} onInput=${f.set('province')} err=${f.errors['ck-province']} required />
					<${Field} id="ck-ward" label=${t('checkout.ward')} autocomplete="address-level3"
					    list="ck-wards"
					    value=${f.values.ward} onInput=${f.set('ward')} err=${f.errors['ck-ward']} required />
					<${PlaceLists} prefix="ck" ...${places} />
				</fieldset>
				<h2>${t('checkout.shipping')}</h2>
				${stores.map((s) => html`<${StoreShipping} key=${s.slug} store=${s} value=${ship[s.slug]}
				    onChange=${(id) => setShip((x) => ({ ...x, [s.slug]: id }))} />`)}
				<fieldset class="choices" id="ck-pm" tabindex="-1">
					<legend>${t('checkout.payment')}</legend>
					${PAY.map((p) => html`<label key=${p} class="choice">
						<input type="radio" name="pm" value=${p} checked=${f.values.pm === p}
						    onChange=${() => f.set('pm')(p)} />
						<span>${t('checkout.pay.' + p)}</span></label>`)}
					${f.errors['ck-pm'] && html`<p class="field-error">${f.errors['ck-pm']}</p>`}
				</fieldset>
				<p class="sum">${t('cart.total')}: <strong><${Money} vnd=${c.total_vnd} /></strong></p>
				<button type="submit" class="btn btn-primary" disabled=${f.busy}>${t('checkout.submit')}</button>
			</form>`;
		}}<//>`;
}
