/* A storefront: its seller identity and its listings. */
import { html, useTitle, useGet, Async, ProductGrid } from '../ui.js';
import { t } from '../i18n.js';
import { SellerIdentity, ReportButton } from './product.js';

function View({ s, slug }) {
	useTitle(s.name);
	const items = useGet('/stores/' + encodeURIComponent(slug) + '/products?limit=50');
	return html`<h1 tabindex="-1">${s.name}</h1>
		${s.description && html`<p>${s.description}</p>`}
		<section aria-labelledby="h-prod">
			<h2 id="h-prod">${t('store.products')}</h2>
			<${Async} state=${items}>${(d) => html`<${ProductGrid} items=${d.items} />`}<//>
		</section>
		<section aria-labelledby="h-seller">
			<h2 id="h-seller">${t('product.seller')}</h2>
			<${SellerIdentity} seller=${s.seller} />
		</section>
		<${ReportButton} storeSlug=${slug} />`;
}

export default function Store({ params }) {
	const ok = /^[a-z0-9-]{1,63}$/.test(params.slug);
	const st = useGet('/stores/' + (ok ? params.slug : 'x--'));
	return html`<${Async} state=${st}>${(s) => html`<${View} s=${s} slug=${params.slug} />`}<//>`;
}
