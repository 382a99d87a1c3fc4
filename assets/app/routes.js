/*
 * The route table: every screen of the app, in one place.  Each entry is
 *   path   pattern, ":name" captures a segment (passed as params.name)
 *   page   the component (eagerly bundled: public pages, first load), or
 *   load   () => import('./pages/x.js') for a screen bundled as its own
 *          chunk and fetched on first visit (use it for back-office
 *          screens so that the public first load stays small)
 *   role   who may open it: undefined (anyone), 'account' (signed in),
 *          'merchant', 'official', 'admin' (see allowed() in main.js)
 * The first path segment of every route must also be in the SPA route of
 * conf/san.conf.in (the server answers deep links with index.html);
 * tests/web/run.mjs checks it.  Adding a module's screens: add its
 * entries in its section below and its prefix to that route.
 */
import Home from './pages/home.js';
import Search from './pages/search.js';
import Product from './pages/product.js';
import Store from './pages/store.js';
import { SignIn, Register } from './pages/auth.js';
import Cart from './pages/cart.js';
import Checkout from './pages/checkout.js';
import PayResult from './pages/payresult.js';
import { Orders, OrderDetail } from './pages/orders.js';

export const routes = [
	/* Anyone. */
	{ path: '/', page: Home },
	{ path: '/tim-kiem', page: Search },
	{ path: '/san-pham/:id', page: Product },
	{ path: '/cua-hang/:slug', page: Store },
	{ path: '/dang-nhap', page: SignIn },
	{ path: '/dang-ky', page: Register },

	/* Buyer (any signed-in account). */
	{ path: '/gio-hang', page: Cart, role: 'account' },
	{ path: '/thanh-toan', page: Checkout, role: 'account' },
	/* VNPay's return URL (src/payment.c RETURN_PATH). */
	{ path: '/thanh-toan/ket-qua', page: PayResult },
	{ path: '/don-hang', page: Orders, role: 'account' },
	{ path: '/don-hang/:id', page: OrderDetail, role: 'account' },

	/* Phase 2 — merchant, under /kinh-doanh/: business registration and
	 * status, store, products and images, shipping methods, orders,
	 * invoices.  e.g.
	 * { path: '/kinh-doanh', load: () => import('./pages/merchant.js'), role: 'account' }, */

	/* Phase 2 — official, under /can-bo/: business verification queue.
	 * { path: '/can-bo/doanh-nghiep', load: () => import('./pages/official.js'), role: 'official' }, */

	/* Phase 2 — admin, under /quan-tri/: accounts and roles, categories,
	 * payment reconciliation and callbacks.
	 * { path: '/quan-tri/tai-khoan', load: () => import('./pages/admin.js'), role: 'admin' }, */

	/* Modules — monitoring (/giam-sat/), subsidy (/ho-tro/), statistics
	 * (/thong-ke/): add their screens here, with load() and a role. */

	/* Subsidy ledger (/ho-tro/, pages/ho-tro/): admins' plans, grants and
	 * approvals; a merchant's support. */
	{ path: '/ho-tro/ke-hoach', load: () => import('./pages/ho-tro/plans.js').then((m) => ({ default: m.Plans })), role: 'admin' },
	{ path: '/ho-tro/ke-hoach/:id', load: () => import('./pages/ho-tro/plans.js').then((m) => ({ default: m.PlanReport })), role: 'admin' },
	{ path: '/ho-tro/cap-ho-tro', load: () => import('./pages/ho-tro/grants.js'), role: 'admin' },
	{ path: '/ho-tro/duyet-chi', load: () => import('./pages/ho-tro/approvals.js'), role: 'admin' },
	{ path: '/ho-tro/doanh-nghiep', load: () => import('./pages/ho-tro/support.js'), role: 'merchant' },
];
