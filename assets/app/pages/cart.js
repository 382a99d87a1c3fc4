/* The buyer's cart with live prices and stock problems. */
import { useState } from 'preact/hooks';
import { html, useTitle, useGet, Async, Money, ErrorBox } from '../ui.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { refreshCart } from '../session.js';

function Line({ it, onChange, setErr }) {
	async function setQty(q) {
		setErr(null);
		try {
			if (q < 1)
				await api('DELETE', '/cart/items/' + it.product_id);
			else
				await api('PUT', '/cart/items/' + it.product_id, { qty: q });
			onChange();
		} catch (e) {
			setErr(e);
		}
	}
	const id = 'qty-' + it.product_id;
	return html`<li class="line">
		<div class="line-main">
			<a href=${'/san-pham/' + it.product_id}>${it.name}</a>
			<span class="muted">${it.store.name}</span>
			${it.problem && html`<span class="problem">${t('cart.problem.' + it.problem)}</span>`}
		</div>
		<div class="line-qty">
			<label for=${id} class="sr-only">${t('cart.qty', { name: it.name })}</label>
			<input id=${id} type="number" min="0" max="999" inputmode="numeric" value=${it.qty}
			    onChange=${(e) => setQty(parseInt(e.currentTarget.value, 10) || 0)} />
			<span class="muted">× <${Money} vnd=${it.unit_price_vnd} /></span>
		</div>
		<div class="line-total"><${Money} vnd=${it.line_total_vnd} /></div>
		<button type="button" class="btn btn-small" aria-label=${t('cart.remove', { name: it.name })}
		    onClick=${() => setQty(0)}>${t('cart.remove.short')}</button>
	</li>`;
}

export default function Cart() {
	useTitle(t('cart.title'));
	const st = useGet('/cart');
	const [err, setErr] = useState(null);
	const changed = () => { st.reload(); refreshCart(); };
	return html`<h1 tabindex="-1">${t('cart.title')}</h1>
		<${ErrorBox} error=${err} />
		<${Async} state=${st}>${(c) => c.items.length === 0
		    ? html`<p>${t('cart.empty')}</p>`
		    : html`<ul class="lines">${c.items.map((it) => html`<${Line} key=${it.product_id} it=${it}
			    onChange=${changed} setErr=${setErr} />`)}</ul>
			<p class="sum">${t('cart.total')}: <strong><${Money} vnd=${c.total_vnd} /></strong></p>
			<p class="right"><a class="btn btn-primary" href="/thanh-toan">${t('cart.checkout')}</a></p>`}<//>`;
}
