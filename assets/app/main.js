/*
 * The San web app: layout (header with search and sign-in state, main,
 * footer) around the screen the route table (routes.js) picks.
 */
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { html, useTitle, prefetch } from './ui.js';
import { api } from './api.js';
import { refreshMe } from './session.js';
import { t, lang, setLang } from './i18n.js';
import { me, cartCount, useValue } from './state.js';
import { routes } from './routes.js';
import { location, navigate, startRouter, compile } from './router.js';
import { NotFound, Loading } from './ui.js';

const table = routes.map((r) => ({ ...r, match: compile(r.path) }));

function allowed(role, m) {
	if (!role)
		return true;
	if (Array.isArray(role))
		return role.some((r) => allowed(r, m));
	if (!m)
		return false;
	if (role === 'account')
		return true;
	if (role === 'merchant')
		return m.businesses && m.businesses.length > 0;
	return m.account.roles.includes(role);
}

function SignInNeeded() {
	useTitle(t('forbidden.title'));
	const next = encodeURIComponent(location.get().path + window.location.search);
	return html`<section class="narrow">
		<h1 tabindex="-1">${t('forbidden.title')}</h1>
		<p>${t('forbidden.text')}</p>
		<p><a class="btn btn-primary" href=${'/dang-nhap?next=' + next}>${t('nav.signin')}</a></p>
	</section>`;
}

/* A route with load(): import its module on first visit. */
function Lazy({ route, ...props }) {
	const [mod, setMod] = useState(route.loaded);
	useEffect(() => {
		if (!mod)
			route.load().then((m) => { route.loaded = m; setMod(m); });
	}, [route]);
	return mod ? html`<${mod[route.name || 'default']} ...${props} />` : html`<${Loading} />`;
}

function Screen() {
	const loc = useValue(location);
	const m = useValue(me);
	for (const r of table) {
		const params = r.match(loc.path);
		if (!params)
			continue;
		if (r.role && m === undefined)
			return html`<${Loading} />`;
		if (!allowed(r.role, m))
			return html`<${SignInNeeded} />`;
		const props = { params, query: loc.query, key: loc.path };
		return r.page ? html`<${r.page} ...${props} />`
		    : html`<${Lazy} route=${r} ...${props} />`;
	}
	return html`<${NotFound} />`;
}

function SearchBox() {
	const loc = useValue(location);
	const onSearch = loc.path === '/tim-kiem';
	const [q, setQ] = useState(onSearch ? loc.query.get('q') || '' : '');
	const timer = useRef(0);
	useEffect(() => {
		if (!onSearch)
			setQ('');
	}, [onSearch]);
	function go(v, typing) {
		const p = new URLSearchParams(onSearch ? window.location.search : '');
		p.delete('after');
		v.trim() ? p.set('q', v.trim()) : p.delete('q');
		const s = p.toString();
		navigate('/tim-kiem' + (s ? '?' + s : ''),
		    { replace: onSearch && typing, keepFocus: typing });
	}
	function onInput(e) {
		const v = e.currentTarget.value;
		setQ(v);
		clearTimeout(timer.current);
		timer.current = setTimeout(() => go(v, true), 300);
	}
	function onSubmit(e) {
		e.preventDefault();
		clearTimeout(timer.current);
		go(q, false);
	}
	return html`<form class="search" role="search" onSubmit=${onSubmit}>
		<label for="q" class="sr-only">${t('search.label')}</label>
		<input id="q" type="search" name="q" value=${q} onInput=${onInput}
		    placeholder=${t('search.placeholder')} autocomplete="off"
		    enterkeyhint="search" />
		<button type="submit" class="btn btn-primary">${t('search.title')}</button>
	</form>`;
}

function Header() {
	const m = useValue(me);
	const n = useValue(cartCount);
	const l = useValue(lang);
	async function signOut() {
		try { await api('POST', '/auth/logout'); } catch (e) { /* gone anyway */ }
		me.set(null);
		cartCount.set(0);
		navigate('/');
	}
	return html`<header class="site-header">
		<div class="bar">
			<a class="brand" href="/">${t('app.name')}</a>
			<nav aria-label=${t('nav.main')} class="nav">
				<a href="/gio-hang" class="nav-cart">${t('nav.cart')}${n > 0 && html` <span class="count" aria-label=${'(' + n + ')'}>${n}</span>`}</a>
				${m && html`<a href="/don-hang">${t('nav.orders')}</a>`}
				${m && html`<a href="/kinh-doanh">${t('nav.merchant')}</a>`}
				${m && m.account.roles.includes('official') && html`<a href="/can-bo/doanh-nghiep">${t('nav.official')}</a>`}
				${m && m.account.roles.includes('official') && html`<a href="/giam-sat">${t('nav.monitoring')}</a>`}
				${m && m.account.roles.includes('admin') && html`<a href="/quan-tri/danh-muc">${t('nav.admin')}</a>`}
				${m === null && html`<a href="/dang-nhap">${t('nav.signin')}</a>`}
				${m && html`<span class="who" title=${m.account.email}>${m.account.full_name}</span>
				    <button type="button" class="linkish" onClick=${signOut}>${t('nav.signout')}</button>`}
			</nav>
			<button type="button" class="linkish lang" lang=${l === 'vi' ? 'en' : 'vi'}
			    aria-label=${t('nav.lang.label')}
			    onClick=${() => setLang(l === 'vi' ? 'en' : 'vi')}>${t('nav.lang')}</button>
		</div>
		<${SearchBox} />
	</header>`;
}

function App() {
	const loc = useValue(location);
	useValue(lang);
	const mainRef = useRef(null);
	const first = useRef(true);
	/* After a navigation, move the focus to the new screen's heading. */
	useEffect(() => {
		if (first.current) {
			first.current = false;
			return;
		}
		if (loc.keepFocus)
			return;
		setTimeout(() => {
			const h = mainRef.current && mainRef.current.querySelector('h1');
			(h || mainRef.current)?.focus();
		}, 0);
	}, [loc]);
	return html`<a class="skip" href="#main">${t('nav.skip')}</a>
		<${Header} />
		<main id="main" tabindex="-1" ref=${mainRef}><${Screen} /></main>
		<footer class="site-footer">
			<p>${t('footer.text')}</p>
			<p><a href="/api/v1/openapi.json">${t('footer.api')}</a></p>
		</footer>`;
}

document.documentElement.lang = lang.get();
startRouter();
/* The first screen's reads go out with /me, not after the first render. */
for (const r of table) {
	const params = r.page && r.match(location.get().path);
	if (params) {
		(r.page.gets ? r.page.gets(params) : []).forEach(prefetch);
		break;
	}
}
refreshMe();
const root = document.getElementById('app');
root.textContent = '';
render(html`<${App} />`, root);
