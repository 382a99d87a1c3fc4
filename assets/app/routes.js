/*
 * The route table: every screen of the app, in one place.  Each entry is
 *   path   pattern, ":name" captures a segment (passed as params.name)
 *   page   the component (eagerly bundled: public pages, first load), or
 *   load   () => import('./pages/x.js') for a screen bundled as its own
 *          chunk and fetched on first visit (use it for back-office
 *          screens so that the public first load stays small)
 *   role   who may open it: undefined (anyone), 'account' (signed in),
 *          'merchant', 'official', 'admin', or a list of them (any one
 *          will do; see allowed() in main.js)
 *   name   with load: the chunk's named export to render (default export
 *          otherwise)
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

/* Back-office chunks (each loaded on first visit). */
const BIZ = () => import('./pages/kinh-doanh/business.js');
const STORE = () => import('./pages/kinh-doanh/store.js');
const PRODUCTS = () => import('./pages/kinh-doanh/products.js');
const SORDERS = () => import('./pages/kinh-doanh/orders.js');
const OFFICIAL = () => import('./pages/can-bo/businesses.js');
const ADMIN = () => import('./pages/quan-tri/admin.js');
const MCASES = () => import('./pages/giam-sat/cases.js');
const MRULES = () => import('./pages/giam-sat/rules.js');

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
	 * invoices.  `name` picks a named export of the chunk (default:
	 * its default export). */
	{ path: '/kinh-doanh', load: BIZ, role: 'account' },
	{ path: '/kinh-doanh/dang-ky', load: BIZ, name: 'BusinessNew', role: 'account' },
	{ path: '/kinh-doanh/doanh-nghiep/:id', load: BIZ, name: 'BusinessDetail', role: 'merchant' },
	{ path: '/kinh-doanh/doanh-nghiep/:id/mo-cua-hang', load: BIZ, name: 'StoreNew', role: 'merchant' },
	{ path: '/kinh-doanh/doanh-nghiep/:id/giay-phep', load: () => import('./pages/kinh-doanh/licences.js'), role: 'merchant' },
	{ path: '/kinh-doanh/cua-hang/:slug', load: STORE, role: 'merchant' },
	{ path: '/kinh-doanh/cua-hang/:slug/van-chuyen', load: STORE, name: 'Shipping', role: 'merchant' },
	{ path: '/kinh-doanh/cua-hang/:slug/san-pham', load: PRODUCTS, name: 'ProductList', role: 'merchant' },
	{ path: '/kinh-doanh/cua-hang/:slug/san-pham/moi', load: PRODUCTS, name: 'ProductNew', role: 'merchant' },
	{ path: '/kinh-doanh/san-pham/:id', load: PRODUCTS, name: 'ProductEdit', role: 'merchant' },
	{ path: '/kinh-doanh/cua-hang/:slug/don-hang', load: SORDERS, name: 'StoreOrders', role: 'merchant' },
	{ path: '/kinh-doanh/don-hang/:id', load: SORDERS, name: 'StoreOrder', role: 'merchant' },
	/* Monitoring decisions about the merchant's listings, and appeals. */
	{ path: '/kinh-doanh/quyet-dinh', load: () => import('./pages/kinh-doanh/decisions.js'), role: 'merchant' },

	/* Phase 2 — official, under /can-bo/: business verification queue. */
	{ path: '/can-bo/doanh-nghiep', load: OFFICIAL, role: 'official' },
	{ path: '/can-bo/doanh-nghiep/:id', load: OFFICIAL, name: 'Review', role: 'official' },

	/* Phase 2 — admin, under /quan-tri/: categories, account roles. */
	{ path: '/quan-tri/danh-muc', load: ADMIN, role: 'admin' },
	{ path: '/quan-tri/tai-khoan', load: ADMIN, name: 'Roles', role: 'admin' },
	{ path: '/quan-tri/thanh-toan', load: () => import('./pages/quan-tri/payments.js'), role: 'admin' },

	/* Modules — monitoring (/giam-sat/), subsidy (/ho-tro/), statistics
	 * (/thong-ke/): add their screens here, with load() and a role. */
	/* Monitoring (/giam-sat/, pages/giam-sat/, issue 10): the case queue,
	 * a case and its decision, appeals, rules with dry run, transparency. */
	{ path: '/giam-sat', load: MCASES, role: 'official' },
	{ path: '/giam-sat/vu-viec/:id', load: MCASES, name: 'Case', role: 'official' },
	{ path: '/giam-sat/khieu-nai', load: MCASES, name: 'Appeals', role: 'official' },
	{ path: '/giam-sat/quy-tac', load: MRULES, role: 'official' },
	{ path: '/giam-sat/quy-tac/moi', load: MRULES, name: 'RuleNew', role: 'official' },
	{ path: '/giam-sat/quy-tac/:id', load: MRULES, name: 'RuleEdit', role: 'official' },
	{ path: '/giam-sat/minh-bach', load: () => import('./pages/giam-sat/transparency.js'), role: 'official' },
	{ path: '/thong-ke', load: () => import('./pages/thong-ke/dashboard.js'), role: ['official', 'admin'] },
	{ path: '/thong-ke/khao-sat', load: () => import('./pages/thong-ke/survey.js').then((m) => ({ default: m.MerchantSurvey })), role: 'merchant' },
	{ path: '/thong-ke/khao-sat/quan-tri', load: () => import('./pages/thong-ke/survey.js').then((m) => ({ default: m.AdminSurvey })), role: 'admin' },

	/* Subsidy ledger (/ho-tro/, pages/ho-tro/): admins' plans, grants and
	 * approvals; a merchant's support. */
	{ path: '/ho-tro/ke-hoach', load: () => import('./pages/ho-tro/plans.js').then((m) => ({ default: m.Plans })), role: 'admin' },
	{ path: '/ho-tro/ke-hoach/:id', load: () => import('./pages/ho-tro/plans.js').then((m) => ({ default: m.PlanReport })), role: 'admin' },
	{ path: '/ho-tro/ke-hoach/:id/dieu-chinh', load: () => import('./pages/ho-tro/revise.js'), role: 'admin' },
	{ path: '/ho-tro/chuong-trinh', load: () => import('./pages/ho-tro/programmes.js').then((m) => ({ default: m.Programmes })), role: 'admin' },
	{ path: '/ho-tro/chuong-trinh/:id', load: () => import('./pages/ho-tro/programmes.js').then((m) => ({ default: m.Programme })), role: 'admin' },
	{ path: '/ho-tro/cap-ho-tro', load: () => import('./pages/ho-tro/grants.js'), role: 'admin' },
	{ path: '/ho-tro/duyet-chi', load: () => import('./pages/ho-tro/approvals.js'), role: 'admin' },
	{ path: '/ho-tro/doanh-nghiep', load: () => import('./pages/ho-tro/support.js'), role: 'merchant' },
];
