/*
 * Search results for /tim-kiem?q=…&category=…: the API's ranking, then
 * "Xem thêm" pages with its cursor (next → after).  The header's search
 * box updates q as the user types (debounced).
 */
import { useEffect, useState } from 'preact/hooks';
import { html, useTitle, ProductGrid, Loading, ErrorBox } from '../ui.js';
import { get, qs } from '../api.js';
import { t, localName, lang } from '../i18n.js';
import { useValue } from '../state.js';

const PAGE = 20;

export default function Search({ query }) {
	const q = query.get('q') || '';
	const category = query.get('category') || '';
	useValue(lang);
	useTitle(q ? t('search.results', { q }) : t('search.title'));
	const [st, set] = useState({ items: [], next: null, loading: true, error: null });
	const [cats, setCats] = useState(null);
	const base = { q, category, limit: PAGE };
	useEffect(() => {
		let live = true;
		set((s) => ({ ...s, loading: true, error: null }));
		get('/products' + qs(base)).then(
		    (d) => live && set({ items: d.items, next: d.next, loading: false, error: null }),
		    (error) => live && set({ items: [], next: null, loading: false, error }));
		return () => { live = false; };
	}, [q, category]);
	useEffect(() => {
		if (category)
			get('/categories').then((d) => setCats(d.items), () => {});
	}, [category]);
	async function more() {
		set((s) => ({ ...s, loading: true }));
		try {
			const d = await get('/products' + qs({ ...base, after: st.next }));
			set((s) => ({ items: s.items.concat(d.items), next: d.next, loading: false, error: null }));
		} catch (error) {
			set((s) => ({ ...s, loading: false, error }));
		}
	}
	const cat = cats && cats.find((c) => String(c.id) === category);
	const title = q ? t('search.results', { q }) : cat ? localName(cat) : t('search.all');
	return html`<h1 tabindex="-1">${title}</h1>
		<div aria-live="polite" aria-busy=${st.loading ? 'true' : 'false'}>
			<${ErrorBox} error=${st.error} />
			${!st.loading && !st.error && st.items.length === 0 && html`<p>${t('search.none')}</p>`}
			${st.items.length > 0 && html`<p class="muted">${t('search.count', { n: st.items.length + (st.next ? '+' : '') })}</p>`}
			<${ProductGrid} items=${st.items} />
			${st.loading && html`<${Loading} />`}
		</div>
		${st.next && !st.loading && html`<p class="center">
			<button type="button" class="btn" onClick=${more}>${t('search.more')}</button></p>`}`;
}
