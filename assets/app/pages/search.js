/*
 * Search results for /tim-kiem?q=…&category=…&province=…&min_price=…
 * &max_price=…&ocop=…&sort=…: the API's ranking, then "Xem thêm" pages
 * with its cursor (next → after).  The header's search box updates q as
 * the user types (debounced); the filter form sets the other parameters
 * (the same names as the API's), keeping q.  An API error about a filter
 * is shown next to that filter.
 */
import { useEffect, useState } from 'preact/hooks';
import { html, useTitle, ProductGrid, Loading, ErrorBox, Field } from '../ui.js';
import { get, qs } from '../api.js';
import { t, localName, lang } from '../i18n.js';
import { useValue } from '../state.js';
import { navigate } from '../router.js';

const PAGE = 20;
const FILTERS = ['category', 'province', 'min_price', 'max_price', 'ocop', 'sort'];

function Filters({ query, cats, err }) {
	const init = {};
	FILTERS.forEach((k) => { init[k] = query.get(k) || ''; });
	const [v, setV] = useState(init);
	const set = (k) => (x) => setV((s) => ({ ...s, [k]: x }));
	const n = FILTERS.filter((k) => k !== 'sort' && init[k]).length;
	function apply(e) {
		e.preventDefault();
		const p = new URLSearchParams();
		if (query.get('q'))
			p.set('q', query.get('q'));
		for (const k of FILTERS)
			if (String(v[k]).trim())
				p.set(k, String(v[k]).trim());
		navigate('/tim-kiem?' + p.toString());
	}
	function clear() {
		navigate('/tim-kiem' + qs({ q: query.get('q') || '' }));
	}
	const fe = (k) => (err && err.field === k ? err.message : null);
	const sel = (k, label, options) => html`<div class=${'field' + (fe(k) ? ' has-error' : '')}>
		<label for=${'f-' + k}>${label}</label>
		<select id=${'f-' + k} value=${v[k]} onChange=${(e) => set(k)(e.currentTarget.value)}
		    aria-invalid=${fe(k) ? 'true' : undefined} aria-describedby=${fe(k) ? 'f-' + k + '-err' : undefined}>
			${options.map((o) => html`<option key=${o[0]} value=${o[0]}>${o[1]}</option>`)}
		</select>
		${fe(k) && html`<p class="field-error" id=${'f-' + k + '-err'}>${fe(k)}</p>`}
	</div>`;
	const top = (cats || []).filter((c) => c.policy !== 'prohibited');
	return html`<details class="filters" open=${n > 0 || !!err}>
		<summary>${t('filter.title')}${n > 0 ? ` (${n})` : ''}</summary>
		<form onSubmit=${apply} novalidate class="filter-form">
			${sel('category', t('filter.category'), [['', t('filter.any')]].concat(top.map((c) =>
			    [String(c.id), (c.parent_id ? '\u00a0\u00a0' : '') + localName(c)])))}
			<${Field} id="f-province" label=${t('filter.province')} value=${v.province} onInput=${set('province')}
			    err=${fe('province')} autocomplete="address-level1" />
			<${Field} id="f-min_price" label=${t('filter.min_price')} inputmode="numeric" value=${v.min_price}
			    onInput=${set('min_price')} err=${fe('min_price')} />
			<${Field} id="f-max_price" label=${t('filter.max_price')} inputmode="numeric" value=${v.max_price}
			    onInput=${set('max_price')} err=${fe('max_price')} />
			${sel('ocop', t('filter.ocop'), [['', t('filter.any')], ['3', t('filter.ocop.n', { n: 3 })],
			    ['4', t('filter.ocop.n', { n: 4 })], ['5', t('home.ocop', { n: 5 })]])}
			${sel('sort', t('filter.sort'), [['', t('filter.sort.default')], ['newest', t('filter.sort.newest')],
			    ['price_asc', t('filter.sort.price_asc')], ['price_desc', t('filter.sort.price_desc')]])}
			<div class="actions">
				<button type="submit" class="btn btn-primary">${t('filter.apply')}</button>
				${n > 0 && html`<button type="button" class="btn" onClick=${clear}>${t('filter.clear')}</button>`}
			</div>
		</form>
	</details>`;
}

export default function Search({ query }) {
	const q = query.get('q') || '';
	const base = { q, limit: PAGE };
	FILTERS.forEach((k) => { if (query.get(k)) base[k] = query.get(k); });
	const key = qs(base);
	const category = base.category || '';
	useValue(lang);
	useTitle(q ? t('search.results', { q }) : t('search.title'));
	const [st, set] = useState({ items: [], next: null, loading: true, error: null });
	const [cats, setCats] = useState(null);
	useEffect(() => {
		let live = true;
		set((s) => ({ ...s, loading: true, error: null }));
		get('/products' + key).then(
		    (d) => live && set({ items: d.items, next: d.next, loading: false, error: null }),
		    (error) => live && set({ items: [], next: null, loading: false, error }));
		return () => { live = false; };
	}, [key]);
	useEffect(() => {
		get('/categories').then((d) => setCats(d.items), () => {});
	}, []);
	async function more() {
		set((s) => ({ ...s, loading: true }));
		try {
			const d = await get('/products' + qs({ ...base, after: st.next }));
			set((s) => ({ items: s.items.concat(d.items), next: d.next, loading: false, error: null }));
		} catch (error) {
			set((s) => ({ ...s, loading: false, error }));
		}
	}
	const cat = cats && category && cats.find((c) => String(c.id) === category);
	const title = q ? t('search.results', { q }) : cat ? localName(cat)
	    : base.ocop ? t('home.ocop.title') : t('search.all');
	const filterErr = st.error && FILTERS.includes(st.error.field) ? st.error : null;
	return html`<h1 tabindex="-1">${title}</h1>
		<${Filters} key=${key} query=${query} cats=${cats} err=${filterErr} />
		<div aria-live="polite" aria-busy=${st.loading ? 'true' : 'false'}>
			${!filterErr && html`<${ErrorBox} error=${st.error} />`}
			${!st.loading && !st.error && st.items.length === 0 && html`<p>${t('search.none')}</p>`}
			${st.items.length > 0 && html`<p class="muted">${t('search.count', { n: st.items.length + (st.next ? '+' : '') })}</p>`}
			<${ProductGrid} items=${st.items} />
			${st.loading && html`<${Loading} />`}
		</div>
		${st.next && !st.loading && html`<p class="center">
			<button type="button" class="btn" onClick=${more}>${t('search.more')}</button></p>`}`;
}
