/* The signed-in state and the cart badge, refreshed from the API. */
import { get } from './api.js';
import { me, cartCount } from './state.js';

/* After login, logout, checkout: GET /me (401 means signed out). */
export async function refreshMe() {
	try {
		me.set(await get('/me'));
	} catch (e) {
		me.set(null);
	}
	await refreshCart();
}

export async function refreshCart() {
	if (!me.get()) {
		cartCount.set(0);
		return;
	}
	try {
		const c = await get('/cart');
		cartCount.set(c.items.reduce((n, i) => n + i.qty, 0));
	} catch (e) { /* keep the old count */ }
}
