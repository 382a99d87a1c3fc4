/*
 * A listing: images (originals), price, stock, store, the seller identity
 * Decree 52 requires, the QR code, add to cart.
 */
import { useState } from 'preact/hooks';
import { html, useTitle, useGet, Async, Money, ErrorBox } from '../ui.js';
import { api } from '../api.js';
import { t, localName } from '../i18n.js';
import { me, useValue } from '../state.js';
import { refreshCart } from '../session.js';

export function SellerIdentity({ seller }) {
	const rows = ['name', 'tax_code', 'registration_no', 'registration_issuer',
	    'address', 'phone', 'email'].filter((k) => seller[k]);
	return html`<dl class="facts">
		${rows.map((k) => html`<div key=${k}><dt>${t('seller.' + k)}</dt><dd>${k === 'address'
		    ? [seller.address, seller.ward, seller.province].filter(Boolean).join(', ')
		    : seller[k]}${k === 'name' && seller.kind ? html` <span class="muted">(${t('seller.kind.' + seller.kind)})</span>` : ''}</dd></div>`)}
	</dl>`;
}

function AddToCart({ p }) {
	const m = useValue(me);
	const [qty, setQty] = useState(1);
	const [msg, setMsg] = useState(null);
	const [err, setErr] = useState(null);
	const [busy, setBusy] = useState(false);
	if (m === null)
		return html`<p><a class="btn btn-primary" href=${'/dang-nhap?next=/san-pham/' + p.id}>${t('product.signin')}</a></p>`;
	if (p.stock < 1)
		return html`<p class="out">${t('product.out')}</p>`;
	async function add(e) {
		e.preventDefault();
		setBusy(true);
		setErr(null);
		setMsg(null);
		try {
			let have = 0;
			const cart = await api('GET', '/cart');
			const line = cart.items.find((i) => i.product_id === p.id);
			if (line)
				have = line.qty;
			await api('PUT', '/cart/items/' + p.id, { qty: have + Number(qty) });
			setMsg(t('product.added'));
			refreshCart();
		} catch (ex) {
			setErr(ex);
		} finally {
			setBusy(false);
		}
	}
	return html`<form class="buy" onSubmit=${add}>
		<div class="field field-inline">
			<label for="qty">${t('product.qty')}</label>
			<input id="qty" type="number" inputmode="numeric" min="1" max=${Math.min(p.stock, 999)}
			    value=${qty} onInput=${(e) => setQty(e.currentTarget.value)} />
		</div>
		<button type="submit" class="btn btn-primary" disabled=${busy}>${t('product.add')}</button>
		<p role="status" class="ok">${msg && html`${msg} <a href="/gio-hang">${t('nav.cart')}</a>`}</p>
		<${ErrorBox} error=${err} />
	</form>`;
}

/*
 * "Báo cáo vi phạm": a button that loads the report form (its own chunk,
 * pages/giam-sat/report.js) on the first click.  One of productId,
 * storeSlug.
 */
export function ReportButton({ productId, storeSlug }) {
	const [mod, setMod] = useState(null);
	const [open, setOpen] = useState(false);
	function show() {
		setOpen(true);
		if (!mod)
			import('./giam-sat/report.js').then((m) => setMod(m));
	}
	if (open && mod)
		return html`<${mod.default} productId=${productId} storeSlug=${storeSlug} onClose=${() => setOpen(false)} />`;
	return html`<p class="report"><button type="button" class="btn btn-small" onClick=${show}
	    disabled=${open}>${t('report.open')}</button></p>`;
}

function View({ p }) {
	useTitle(p.name);
	return html`<article class="product">
		<div class="gallery">
			${p.images.length ? p.images.map((im, i) => html`<img key=${im.id} src=${im.url}
			    alt=${t('product.image', { n: i + 1, name: p.name })} width="640" height="480"
			    decoding="async" loading=${i ? 'lazy' : 'eager'} />`)
			    : html`<div class="noimg big">${t('product.noimage')}</div>`}
		</div>
		<div class="info">
			<p class="crumbs">${p.category.path.map((c, i) => html`${i ? ' › ' : ''}<a href=${'/tim-kiem?category=' + c.id}>${localName(c)}</a>`)}</p>
			<h1 tabindex="-1">${p.name}</h1>
			<p class="price"><span class="sr-only">${t('product.price')}: </span><${Money} vnd=${p.price_vnd} /> / ${p.unit}</p>
			${p.ocop_stars && html`<p><span class="badge">${t('home.ocop', { n: p.ocop_stars })}</span></p>`}
			<p>${p.stock > 0 ? t('product.stock', { n: p.stock, unit: p.unit }) : t('product.out')}</p>
			${p.origin_province && html`<p>${t('product.origin')}: ${p.origin_province}</p>`}
			<p>${t('product.store')}: <a href=${'/cua-hang/' + p.store.slug}>${p.store.name}</a></p>
			<${AddToCart} p=${p} />
		</div>
		${p.description && html`<div class="desc"><p>${p.description}</p></div>`}
		<section class="seller" aria-labelledby="h-seller">
			<h2 id="h-seller">${t('product.seller')}</h2>
			<${SellerIdentity} seller=${p.seller} />
		</section>
		<section class="qr" aria-labelledby="h-qr">
			<h2 id="h-qr">${t('product.qr')}</h2>
			<img src=${p.qr_url} alt=${t('product.qr') + ': ' + p.name} width="160" height="160"
			    loading="lazy" decoding="async" />
		</section>
		<${ReportButton} productId=${p.id} />
	</article>`;
}

const path = (params) => (/^[0-9]{1,18}$/.test(params.id) ? '/products/' + params.id : '/products/0');

export default function Product({ params }) {
	const st = useGet(path(params));
	return html`<${Async} state=${st}>${(p) => html`<${View} p=${p} />`}<//>`;
}

/* main.js starts this read before the first render (ui.js prefetch). */
Product.gets = (params) => [path(params)];
