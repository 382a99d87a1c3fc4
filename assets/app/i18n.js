/*
 * Strings and formats.  Vietnamese is the default; English is a switch
 * remembered in localStorage under "san.lang" (the language only: never a
 * token or anything else about the user).  t('key', {n: 3}) fills {n}.
 */
import { signal } from './state.js';

const vi = {
	'app.name': 'Sàn Tây Ninh',
	'app.tagline': 'Đặc sản địa phương từ cơ sở đã được Sở Công Thương xác minh',
	'nav.skip': 'Bỏ qua, đến nội dung chính',
	'nav.home': 'Trang chủ',
	'nav.cart': 'Giỏ hàng',
	'nav.orders': 'Đơn hàng của tôi',
	'nav.signin': 'Đăng nhập',
	'nav.register': 'Đăng ký',
	'nav.signout': 'Đăng xuất',
	'nav.lang': 'English',
	'nav.lang.label': 'Chuyển sang tiếng Anh',
	'nav.main': 'Điều hướng chính',
	'nav.merchant': 'Bán hàng',
	'nav.official': 'Cán bộ',
	'nav.admin': 'Quản trị',
	'search.label': 'Tìm sản phẩm',
	'search.placeholder': 'Tìm bánh tráng, muối tôm…',
	'search.title': 'Tìm kiếm',
	'search.results': 'Kết quả cho “{q}”',
	'search.all': 'Tất cả sản phẩm',
	'search.none': 'Không tìm thấy sản phẩm nào.',
	'search.more': 'Xem thêm',
	'search.count': '{n} sản phẩm',
	'home.categories': 'Danh mục',
	'home.new': 'Sản phẩm mới',
	'home.ocop': 'OCOP {n} sao',
	'common.loading': 'Đang tải…',
	'common.error': 'Đã có lỗi. Vui lòng thử lại.',
	'common.retry': 'Thử lại',
	'common.back': 'Quay lại',
	'notfound.title': 'Không tìm thấy trang',
	'notfound.text': 'Trang bạn tìm không tồn tại hoặc bạn không có quyền xem.',
	'notfound.home': 'Về trang chủ',
	'forbidden.title': 'Cần đăng nhập',
	'forbidden.text': 'Vui lòng đăng nhập bằng tài khoản có quyền xem trang này.',
	'product.price': 'Giá',
	'product.stock': 'Còn {n} {unit}',
	'product.out': 'Hết hàng',
	'product.qty': 'Số lượng',
	'product.add': 'Thêm vào giỏ',
	'product.added': 'Đã thêm vào giỏ hàng.',
	'product.store': 'Gian hàng',
	'product.seller': 'Thông tin người bán',
	'product.origin': 'Xuất xứ',
	'product.category': 'Danh mục',
	'product.qr': 'Mã QR truy xuất sản phẩm',
	'product.image': 'Ảnh {n} của {name}',
	'product.noimage': 'Chưa có ảnh',
	'product.signin': 'Đăng nhập để mua hàng',
	'seller.name': 'Tên',
	'seller.tax_code': 'Mã số thuế',
	'seller.address': 'Địa chỉ',
	'seller.phone': 'Điện thoại',
	'seller.email': 'Email',
	'seller.registration_no': 'Số đăng ký kinh doanh',
	'seller.registration_issuer': 'Nơi cấp',
	'seller.kind.enterprise': 'Doanh nghiệp',
	'seller.kind.cooperative': 'Hợp tác xã',
	'seller.kind.household': 'Hộ kinh doanh',
	'seller.kind.facility': 'Cơ sở sản xuất',
	'store.products': 'Sản phẩm của gian hàng',
	'auth.email': 'Email',
	'auth.password': 'Mật khẩu',
	'auth.password.hint': 'Ít nhất 12 ký tự.',
	'auth.full_name': 'Họ và tên',
	'auth.phone': 'Số điện thoại (không bắt buộc)',
	'auth.signin.title': 'Đăng nhập',
	'auth.signin.submit': 'Đăng nhập',
	'auth.register.title': 'Tạo tài khoản',
	'auth.register.submit': 'Đăng ký',
	'auth.register.done': 'Đã tạo tài khoản. Mời bạn đăng nhập.',
	'auth.no_account': 'Chưa có tài khoản?',
	'auth.have_account': 'Đã có tài khoản?',
	'cart.title': 'Giỏ hàng',
	'cart.empty': 'Giỏ hàng đang trống.',
	'cart.total': 'Tạm tính',
	'cart.remove': 'Bỏ {name} khỏi giỏ',
	'cart.remove.short': 'Bỏ',
	'cart.qty': 'Số lượng {name}',
	'cart.checkout': 'Đặt hàng',
	'cart.problem.out_of_stock': 'Không đủ hàng',
	'cart.problem.unlisted': 'Sản phẩm không còn bán',
	'checkout.title': 'Đặt hàng',
	'checkout.address': 'Địa chỉ nhận hàng',
	'checkout.recipient': 'Người nhận',
	'checkout.phone': 'Số điện thoại',
	'checkout.street': 'Địa chỉ (số nhà, đường)',
	'checkout.ward': 'Phường/xã',
	'checkout.province': 'Tỉnh/thành phố',
	'checkout.shipping': 'Vận chuyển',
	'checkout.shipping.for': 'Cách giao hàng của {store}',
	'checkout.free': 'Miễn phí',
	'checkout.free_over': 'miễn phí từ {amount}',
	'checkout.payment': 'Thanh toán',
	'checkout.pay.cod': 'Thanh toán khi nhận hàng (COD)',
	'checkout.pay.vnpay': 'VNPay (thẻ ATM, thẻ quốc tế, QR ngân hàng)',
	'checkout.pay.momo': 'Ví MoMo',
	'checkout.pay.vietqr': 'Chuyển khoản VietQR',
	'checkout.submit': 'Đặt hàng',
	'checkout.placed': 'Đã đặt hàng thành công.',
	'checkout.vietqr': 'Quét mã VietQR bằng ứng dụng ngân hàng để chuyển {amount}, nội dung {ref}.',
	'checkout.vietqr.alt': 'Mã VietQR chuyển khoản {amount}',
	'checkout.momo': 'Thanh toán MoMo sẽ được mở trên ứng dụng MoMo.',
	'checkout.redirect': 'Đang chuyển đến cổng thanh toán…',
	'checkout.see_orders': 'Xem đơn hàng',
	'payresult.title': 'Kết quả thanh toán',
	'payresult.ok': 'Giao dịch đã được gửi. Trạng thái đơn hàng sẽ cập nhật khi ngân hàng xác nhận.',
	'payresult.fail': 'Thanh toán chưa thành công.',
	'orders.title': 'Đơn hàng của tôi',
	'orders.none': 'Bạn chưa có đơn hàng nào.',
	'orders.code': 'Mã đơn',
	'orders.date': 'Ngày đặt',
	'orders.total': 'Tổng cộng',
	'orders.status': 'Trạng thái',
	'orders.subtotal': 'Tiền hàng',
	'orders.shipping_fee': 'Phí vận chuyển',
	'orders.lines': 'Sản phẩm',
	'orders.history': 'Lịch sử đơn hàng',
	'orders.address': 'Giao đến',
	'orders.cancel': 'Hủy đơn',
	'orders.cancel.confirm': 'Hủy đơn hàng {code}?',
	'orders.complete': 'Đã nhận được hàng',
	'orders.pay': 'Thanh toán',
	'orders.more': 'Xem thêm',
	'orders.tracking': 'Mã vận đơn',
	'status.pending_payment': 'Chờ thanh toán',
	'status.placed': 'Chờ xác nhận',
	'status.paid': 'Đã thanh toán',
	'status.confirmed': 'Đã xác nhận',
	'status.shipped': 'Đang giao',
	'status.delivered': 'Đã giao',
	'status.completed': 'Hoàn tất',
	'status.cancelled': 'Đã hủy',
	'status.refunded': 'Đã hoàn tiền',
	'status.expired': 'Quá hạn thanh toán',
	'by.buyer': 'người mua',
	'by.merchant': 'cửa hàng',
	'by.system': 'hệ thống',
	'by.provider': 'cổng thanh toán',
	'footer.text': 'Sàn thương mại điện tử tỉnh, vận hành bởi Sở Công Thương.',
	'footer.api': 'Tài liệu API',
};

const en = {
	'app.name': 'Tay Ninh Market',
	'app.tagline': 'Local specialities from businesses verified by the Department of Industry and Trade',
	'nav.skip': 'Skip to main content',
	'nav.home': 'Home',
	'nav.cart': 'Cart',
	'nav.orders': 'My orders',
	'nav.signin': 'Sign in',
	'nav.register': 'Register',
	'nav.signout': 'Sign out',
	'nav.lang': 'Tiếng Việt',
	'nav.lang.label': 'Switch to Vietnamese',
	'nav.main': 'Main navigation',
	'nav.merchant': 'Sell',
	'nav.official': 'Officials',
	'nav.admin': 'Admin',
	'search.label': 'Search products',
	'search.placeholder': 'Search rice paper, shrimp salt…',
	'search.title': 'Search',
	'search.results': 'Results for “{q}”',
	'search.all': 'All products',
	'search.none': 'No products found.',
	'search.more': 'Show more',
	'search.count': '{n} products',
	'home.categories': 'Categories',
	'home.new': 'New listings',
	'home.ocop': 'OCOP {n} stars',
	'common.loading': 'Loading…',
	'common.error': 'Something went wrong. Please try again.',
	'common.retry': 'Retry',
	'common.back': 'Back',
	'notfound.title': 'Page not found',
	'notfound.text': 'The page does not exist or you may not see it.',
	'notfound.home': 'Back to the home page',
	'forbidden.title': 'Please sign in',
	'forbidden.text': 'Sign in with an account that may see this page.',
	'product.price': 'Price',
	'product.stock': '{n} {unit} in stock',
	'product.out': 'Out of stock',
	'product.qty': 'Quantity',
	'product.add': 'Add to cart',
	'product.added': 'Added to the cart.',
	'product.store': 'Store',
	'product.seller': 'Seller information',
	'product.origin': 'Origin',
	'product.category': 'Category',
	'product.qr': 'Product traceability QR code',
	'product.image': 'Image {n} of {name}',
	'product.noimage': 'No image yet',
	'product.signin': 'Sign in to buy',
	'seller.name': 'Name',
	'seller.tax_code': 'Tax code',
	'seller.address': 'Address',
	'seller.phone': 'Phone',
	'seller.email': 'Email',
	'seller.registration_no': 'Business registration no.',
	'seller.registration_issuer': 'Issued by',
	'seller.kind.enterprise': 'Enterprise',
	'seller.kind.cooperative': 'Cooperative',
	'seller.kind.household': 'Household business',
	'seller.kind.facility': 'Production facility',
	'store.products': 'Products of this store',
	'auth.email': 'Email',
	'auth.password': 'Password',
	'auth.password.hint': 'At least 12 characters.',
	'auth.full_name': 'Full name',
	'auth.phone': 'Phone (optional)',
	'auth.signin.title': 'Sign in',
	'auth.signin.submit': 'Sign in',
	'auth.register.title': 'Create an account',
	'auth.register.submit': 'Register',
	'auth.register.done': 'Account created. Please sign in.',
	'auth.no_account': 'No account yet?',
	'auth.have_account': 'Already registered?',
	'cart.title': 'Cart',
	'cart.empty': 'Your cart is empty.',
	'cart.total': 'Subtotal',
	'cart.remove': 'Remove {name} from the cart',
	'cart.remove.short': 'Remove',
	'cart.qty': 'Quantity of {name}',
	'cart.checkout': 'Check out',
	'cart.problem.out_of_stock': 'Not enough stock',
	'cart.problem.unlisted': 'No longer sold',
	'checkout.title': 'Checkout',
	'checkout.address': 'Delivery address',
	'checkout.recipient': 'Recipient',
	'checkout.phone': 'Phone',
	'checkout.street': 'Address (number, street)',
	'checkout.ward': 'Ward/commune',
	'checkout.province': 'Province/city',
	'checkout.shipping': 'Shipping',
	'checkout.shipping.for': 'Shipping for {store}',
	'checkout.free': 'Free',
	'checkout.free_over': 'free from {amount}',
	'checkout.payment': 'Payment',
	'checkout.pay.cod': 'Cash on delivery',
	'checkout.pay.vnpay': 'VNPay (ATM card, international card, bank QR)',
	'checkout.pay.momo': 'MoMo wallet',
	'checkout.pay.vietqr': 'VietQR bank transfer',
	'checkout.submit': 'Place order',
	'checkout.placed': 'Your order has been placed.',
	'checkout.vietqr': 'Scan the VietQR code with your banking app to transfer {amount}, reference {ref}.',
	'checkout.vietqr.alt': 'VietQR code for a transfer of {amount}',
	'checkout.momo': 'MoMo payment opens in the MoMo app.',
	'checkout.redirect': 'Taking you to the payment gateway…',
	'checkout.see_orders': 'See my orders',
	'payresult.title': 'Payment result',
	'payresult.ok': 'The payment was sent. The order updates when the bank confirms it.',
	'payresult.fail': 'The payment did not go through.',
	'orders.title': 'My orders',
	'orders.none': 'You have no orders yet.',
	'orders.code': 'Order',
	'orders.date': 'Placed on',
	'orders.total': 'Total',
	'orders.status': 'Status',
	'orders.subtotal': 'Items',
	'orders.shipping_fee': 'Shipping fee',
	'orders.lines': 'Products',
	'orders.history': 'Order history',
	'orders.address': 'Deliver to',
	'orders.cancel': 'Cancel order',
	'orders.cancel.confirm': 'Cancel order {code}?',
	'orders.complete': 'I received the goods',
	'orders.pay': 'Pay',
	'orders.more': 'Show more',
	'orders.tracking': 'Tracking no.',
	'status.pending_payment': 'Awaiting payment',
	'status.placed': 'Awaiting confirmation',
	'status.paid': 'Paid',
	'status.confirmed': 'Confirmed',
	'status.shipped': 'Shipped',
	'status.delivered': 'Delivered',
	'status.completed': 'Completed',
	'status.cancelled': 'Cancelled',
	'status.refunded': 'Refunded',
	'status.expired': 'Payment expired',
	'by.buyer': 'buyer',
	'by.merchant': 'store',
	'by.system': 'system',
	'by.provider': 'payment gateway',
	'footer.text': 'The province\'s e-commerce floor, run by the Department of Industry and Trade.',
	'footer.api': 'API documentation',
};

const tables = { vi, en };

/*
 * A lazily loaded screen's own strings (back office, modules): merged into
 * the tables when its chunk loads, so they stay out of the first load.
 */
export function addStrings(moreVi, moreEn) {
	Object.assign(vi, moreVi);
	Object.assign(en, moreEn);
}
const KEY = 'san.lang';

function initial() {
	try {
		const v = localStorage.getItem(KEY);
		if (v === 'en' || v === 'vi')
			return v;
	} catch (e) { /* storage disabled: default */ }
	return 'vi';
}

export const lang = signal(initial());

export function setLang(l) {
	try { localStorage.setItem(KEY, l); } catch (e) { /* ignore */ }
	document.documentElement.lang = l;
	lang.set(l);
}

export function t(key, vars) {
	let s = tables[lang.get()][key] ?? vi[key] ?? key;
	if (vars)
		s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? vars[k] : m));
	return s;
}

/* The category/field name in the current language from a {name_vi, name_en} row. */
export function localName(row) {
	return lang.get() === 'en' && row.name_en ? row.name_en : row.name_vi;
}

const money = new Intl.NumberFormat('vi-VN', { style: 'currency', currency: 'VND' });
const date = new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh',
    day: '2-digit', month: '2-digit', year: 'numeric' });
const time = new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh',
    hour: '2-digit', minute: '2-digit', hour12: false });

/* 85000 -> "85.000 ₫" (Vietnamese grouping in both languages). */
export function formatMoney(n) {
	return money.format(n).replace(/\u00a0/g, ' ');
}

/* ISO timestamp -> "29/11/2026", Vietnam time. */
export function formatDate(iso) {
	return date.format(new Date(iso));
}

export function formatDateTime(iso) {
	const d = new Date(iso);
	return `${date.format(d)} ${time.format(d)}`;
}
