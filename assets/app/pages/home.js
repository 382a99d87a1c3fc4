/* Home: categories with their counts, OCOP products, newest listings. */
import { html, useTitle, useGet, Async, ProductGrid, GridSkeleton } from '../ui.js';
import { t, localName } from '../i18n.js';

const CATS = '/categories';
const NEW = '/products?sort=newest&limit=12';
const OCOP = '/products?ocop=3&sort=newest&limit=8';

export default function Home() {
	useTitle('');
	const cats = useGet(CATS);
	const items = useGet(NEW);
	const ocop = useGet(OCOP);
	return html`<section class="hero">
			<h1 tabindex="-1">${t('app.name')}</h1>
			<p>${t('app.tagline')}</p>
		</section>
		<section aria-labelledby="h-cats">
			<h2 id="h-cats">${t('home.categories')}</h2>
			<${Async} state=${cats} fallback=${html`<p class="chips-skel muted" role="status">${t('common.loading')}</p>`}>${(d) => html`<ul class="chips">
				${d.items.filter((c) => c.parent_id === null && c.policy !== 'prohibited').map((c) => html`
				<li key=${c.id}><a class="chip" href=${'/tim-kiem?category=' + c.id}>${localName(c)}${'\u00a0'}<span class="muted">(${c.product_count})</span></a></li>`)}
			</ul>`}<//>
		</section>
		<section aria-labelledby="h-ocop">
			<h2 id="h-ocop">${t('home.ocop.title')}</h2>
			<${Async} state=${ocop} fallback=${html`<${GridSkeleton} n=${4} badge />`}>${(d) => html`<${ProductGrid} items=${d.items} />
				<p><a href="/tim-kiem?ocop=3">${t('home.ocop.all')}</a></p>`}<//>
		</section>
		<section aria-labelledby="h-new">
			<h2 id="h-new">${t('home.new')}</h2>
			<${Async} state=${items} fallback=${html`<${GridSkeleton} n=${4} />`}>${(d) => html`<${ProductGrid} items=${d.items} />`}<//>
		</section>`;
}

/* main.js starts these before the first render (ui.js prefetch). */
Home.gets = () => [CATS, OCOP, NEW];
