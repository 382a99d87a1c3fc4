/*
 * History-API router over the route table (routes.js).  Same-origin links
 * are intercepted (no page reload); the server answers every app URL with
 * index.html (src/web.c), so deep links and reloads work.
 */
import { signal } from './state.js';

export const location = signal(read());

function read() {
	return { path: window.location.pathname,
	    query: new URLSearchParams(window.location.search) };
}

/* Compile '/san-pham/:id' into a matcher returning {id} or null. */
export function compile(pattern) {
	const names = [];
	const re = new RegExp('^' + pattern.replace(/\/:(\w+)/g, (m, n) => {
		names.push(n);
		return '/([^/]+)';
	}) + '/?$');
	return (path) => {
		const m = re.exec(path);
		if (!m)
			return null;
		const p = {};
		names.forEach((n, i) => { p[n] = decodeURIComponent(m[i + 1]); });
		return p;
	};
}

/*
 * navigate('/gio-hang'); options: replace (no new history entry),
 * keepFocus (typing in the search box: leave the focus there).
 */
export function navigate(to, opts = {}) {
	if (to === window.location.pathname + window.location.search) {
		return;
	}
	if (opts.replace)
		history.replaceState(null, '', to);
	else
		history.pushState(null, '', to);
	location.set({ ...read(), keepFocus: !!opts.keepFocus });
	if (!opts.keepFocus)
		window.scrollTo(0, 0);
}

export function startRouter() {
	window.addEventListener('popstate', () => {
		const now = read(), was = location.get();
		/* A jump to #main (the skip link) is not a new screen. */
		if (now.path !== was.path || now.query.toString() !== was.query.toString())
			location.set(now);
	});
	document.addEventListener('click', (e) => {
		if (e.defaultPrevented || e.button !== 0 || e.metaKey ||
		    e.ctrlKey || e.shiftKey || e.altKey)
			return;
		const a = e.target.closest && e.target.closest('a[href]');
		if (!a || a.target || a.hasAttribute('download') ||
		    a.origin !== window.location.origin ||
		    a.pathname.startsWith('/api/') ||
		    (a.hash && a.pathname === window.location.pathname))
			return;
		e.preventDefault();
		navigate(a.pathname + a.search);
	});
}
