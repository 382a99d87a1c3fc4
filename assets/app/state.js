/*
 * Tiny shared state: a signal holds a value, components re-render when it
 * changes (useValue).  The app keeps three: the language, the signed-in
 * account (from GET /api/v1/me) and the number of items in the cart.
 */
import { useEffect, useState } from 'preact/hooks';

export function signal(value) {
	const subs = new Set();
	return {
		get: () => value,
		set(v) {
			value = v;
			subs.forEach((f) => f(v));
		},
		subscribe(f) {
			subs.add(f);
			return () => subs.delete(f);
		},
	};
}

export function useValue(sig) {
	const [, force] = useState(0);
	useEffect(() => sig.subscribe(() => force((n) => n + 1)), [sig]);
	return sig.get();
}

/* undefined: not known yet; null: signed out; else GET /me's body. */
export const me = signal(undefined);
export const cartCount = signal(0);
