/* Shared pieces of the screens. */
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { get } from './api.js';
import { t, formatMoney, lang } from './i18n.js';
import { useValue } from './state.js';

export { html };

/* Sets the document title; the page's <h1> gets the focus on navigation. */
export function useTitle(title) {
	useEffect(() => {
		document.title = title ? `${title} · ${t('app.name')}` : t('app.name');
	}, [title]);
}

/*
 * Reads started before the first render (main.js, from a page's gets()),
 * so they travel with the app's own start-up requests; useGet takes each
 * once.
 */
const early = new Map();
export function prefetch(path) {
	const p = get(path);
	p.catch(() => {});
	early.set(path, p);
}

function take(path) {
	const p = early.get(path);
	early.delete(path);
	return p || get(path);
}

/*
 * GET a path; re-fetches when it changes (null: no request).  Returns
 * {data, error, loading, reload}; a response to an old path is dropped.
 */
export function useGet(path) {
	const [st, set] = useState({ data: null, error: null, loading: !!path });
	const [n, setN] = useState(0);
	useValue(lang);
	useEffect(() => {
		if (!path)
			return undefined;
		let live = true;
		set((s) => ({ ...s, loading: true, error: null }));
		take(path).then((data) => live && set({ data, error: null, loading: false }),
		    (error) => live && set({ data: null, error, loading: false }));
		return () => { live = false; };
	}, [path, n, lang.get()]);
	return { ...st, reload: () => setN(n + 1) };
}

export function Loading() {
	return html`<p class="muted" role="status">${t('common.loading')}</p>`;
}

export function ErrorBox({ error, onRetry }) {
	if (!error)
		return null;
	return html`<div class="alert alert-error" role="alert">
		<p>${error.message || t('common.error')}</p>
		${onRetry && html`<button type="button" class="btn" onClick=${onRetry}>${t('common.retry')}</button>`}
	</div>`;
}

/*
 * Renders what a useGet gave: loading (fallback, default <Loading>: a
 * placeholder as tall as the data's rendering keeps the page from
 * shifting when it arrives), error (404 becomes the not-found page), or
 * children(data).
 */
export function Async({ state, children, fallback }) {
	if (state.loading && !state.data)
		return fallback || html`<${Loading} />`;
	if (state.error && state.error.status === 404)
		return html`<${NotFound} />`;
	if (state.error)
		return html`<${ErrorBox} error=${state.error} onRetry=${state.reload} />`;
	return state.data ? children(state.data) : null;
}

export function NotFound() {
	useTitle(t('notfound.title'));
	return html`<section class="narrow">
		<h1 tabindex="-1">${t('notfound.title')}</h1>
		<p>${t('notfound.text')}</p>
		<p><a class="btn" href="/">${t('notfound.home')}</a></p>
	</section>`;
}

export function Money({ vnd }) {
	return html`<span class="money">${formatMoney(vnd)}</span>`;
}

/*
 * A labelled input with its error below it, tied by aria-describedby.
 * err: the message to show (the API's error.message when error.field is
 * this field's name).
 */
export function Field({ id, label, hint, err, type = 'text', value, onInput, ...rest }) {
	const desc = [hint && id + '-hint', err && id + '-err'].filter(Boolean).join(' ');
	return html`<div class=${'field' + (err ? ' has-error' : '')}>
		<label for=${id}>${label}</label>
		<input id=${id} name=${id} type=${type} value=${value}
		    onInput=${(e) => onInput(e.currentTarget.value)}
		    aria-invalid=${err ? 'true' : undefined}
		    aria-describedby=${desc || undefined} ...${rest} />
		${hint && html`<p class="hint" id=${id + '-hint'}>${hint}</p>`}
		${err && html`<p class="field-error" id=${id + '-err'} data-field=${id}>${err}</p>`}
	</div>`;
}

/*
 * Form state with server errors: errors[field] is the API's message for
 * that field; errors._ a message without a field.  submit(fn) runs fn,
 * catching ApiError into errors and moving the focus to the field.
 */
export function useForm(initial) {
	const [values, setValues] = useState(initial);
	const [errors, setErrors] = useState({});
	const [busy, setBusy] = useState(false);
	const formRef = useRef(null);
	const set = (k) => (v) => setValues((s) => ({ ...s, [k]: v }));
	async function submit(fn, fieldIds = {}) {
		setBusy(true);
		setErrors({});
		try {
			await fn(values);
		} catch (e) {
			/* fieldIds: {apiField: elementId}, or a prefix of the ids. */
			const f = e.field && (typeof fieldIds === 'string'
			    ? fieldIds + e.field : fieldIds[e.field] || e.field);
			const msg = e.message || t('common.error');
			setErrors(f ? { [f]: msg } : { _: msg });
			setTimeout(() => {
				const el = formRef.current && f &&
				    formRef.current.querySelector('#' + CSS.escape(f));
				(el || formRef.current?.querySelector('.alert'))?.focus();
			}, 0);
		} finally {
			setBusy(false);
		}
	}
	return { values, set, errors, busy, submit, formRef, setErrors };
}

export function FormError({ msg }) {
	return msg ? html`<div class="alert alert-error" role="alert" tabindex="-1">${msg}</div>` : null;
}

export function ProductCard({ p }) {
	return html`<li class="card">
		<a href=${'/san-pham/' + p.id} class="card-link">
			${p.image_url
			    ? html`<img src=${p.thumb_url || p.image_url} alt="" width="320" height="240" loading="lazy" decoding="async" />`
			    : html`<div class="noimg" aria-hidden="true">${p.name.slice(0, 1)}</div>`}
			<span class="card-name">${p.name}</span>
		</a>
		<span class="card-price"><${Money} vnd=${p.price_vnd} /> / ${p.unit}</span>
		${p.ocop_stars && html`<span class="badge">${t('home.ocop', { n: p.ocop_stars })}</span>`}
		${p.store && html`<span class="card-store">${p.store.name}</span>`}
	</li>`;
}

export function ProductGrid({ items }) {
	return html`<ul class="grid">${items.map((p) => html`<${ProductCard} key=${p.id} p=${p} />`)}</ul>`;
}

/*
 * What a ProductGrid of n cards looks like before its data: the same grid
 * of cards with boxes as tall as a card's image, name, price, OCOP badge
 * (badge: the listing shows OCOP products) and store; "loading" for
 * screen readers.
 */
export function GridSkeleton({ n, badge }) {
	return html`<div role="status"><span class="sr-only">${t('common.loading')}</span>
		<ul class="grid" aria-hidden="true">${Array.from({ length: n }, (_, i) => html`<li key=${i} class="card skel">
			<span class="card-link"><span class="sk-img"></span><span class="sk-line sk-name"></span></span>
			<span class="sk-line"></span>
			${badge && html`<span class="sk-line sk-badge"></span>`}
			<span class="sk-line sk-small"></span>
		</li>`)}</ul></div>`;
}

export function StatusBadge({ status }) {
	return html`<span class=${'status status-' + status}>${t('status.' + status)}</span>`;
}
