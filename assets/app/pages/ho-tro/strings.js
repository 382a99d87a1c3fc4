/* Strings of the subsidy screens (vi first, en), kept beside them. */
import { lang } from '../../i18n.js';

const vi = {
	'plans.title': 'Kế hoạch kinh phí hỗ trợ',
	'plans.province': 'Tỉnh',
	'plans.plan': 'Kế hoạch',
	'plans.period': 'Giai đoạn',
	'plans.planned': 'Kế hoạch',
	'plans.remaining': 'Còn lại',
	'plans.disagreements': 'Sai lệch số liệu',
	'plans.draft': 'dự thảo',
	'report.csv': 'Tải bảng (CSV, mở bằng Excel)',
	'report.found': 'Các tổng cộng ghi trong văn bản không khớp với tổng các dòng con:',
	'report.none': 'Mọi tổng cộng trong phụ lục đều khớp với các dòng con.',
	'report.stated': 'ghi',
	'report.computed': 'cộng lại',
	'report.line': 'STT',
	'report.content': 'Nội dung',
	'report.period': 'Cả giai đoạn',
	'report.total': 'Tổng',
	'report.progress': 'Thực hiện theo năm và nguồn',
	'report.source': 'Nguồn',
	'report.committed': 'Đã cam kết',
	'report.disbursed': 'Đã giải ngân',
	'report.chart': 'Biểu đồ: kế hoạch, cam kết, giải ngân theo năm và nguồn',
	'src.provincial': 'NS tỉnh',
	'src.central': 'NS Trung ương',
	'src.business': 'DN đối ứng',
	'src.other': 'Nguồn khác',
	'grants.title': 'Cấp hỗ trợ cho doanh nghiệp',
	'grants.programme': 'Chương trình hỗ trợ',
	'grants.choose': '— Chọn chương trình —',
	'grants.business': 'Mã doanh nghiệp (ID)',
	'grants.year': 'Năm',
	'grants.decision': 'Số quyết định',
	'grants.cost': 'Chi phí hợp lệ (đồng)',
	'grants.preview': 'Số tiền hỗ trợ tính theo quy định của chương trình',
	'grants.counterpart': 'Doanh nghiệp đối ứng',
	'grants.save': 'Ghi nhận hỗ trợ',
	'grants.saved': 'Đã ghi nhận khoản hỗ trợ số {id}.',
	'grants.shortfall': 'Dòng {line}, năm {year}, nguồn {source}: còn {remaining}, thiếu {shortfall}.',
	'grants.list': 'Các khoản hỗ trợ gần đây',
	'grants.none': 'Chưa có khoản hỗ trợ nào.',
	'grants.cancelled': 'đã hủy',
	'disb.title': 'Giải ngân',
	'disb.grant': 'Khoản hỗ trợ số',
	'disb.amount': 'Số tiền (đồng)',
	'disb.date': 'Ngày chi',
	'disb.voucher': 'Số chứng từ',
	'disb.method': 'Hình thức',
	'disb.bank_transfer': 'Chuyển khoản',
	'disb.treasury': 'Kho bạc',
	'disb.cash': 'Tiền mặt',
	'disb.save': 'Ghi nhận giải ngân',
	'disb.saved': 'Đã ghi nhận khoản chi số {id} ({status}).',
	'queue.title': 'Duyệt chi (người duyệt thứ hai)',
	'queue.none': 'Không có khoản chi nào chờ duyệt.',
	'queue.approve': 'Duyệt',
	'queue.reject': 'Từ chối',
	'queue.reason': 'Lý do từ chối',
	'queue.maker': 'Người lập: tài khoản {id}',
	'support.title': 'Hỗ trợ của doanh nghiệp',
	'support.none': 'Doanh nghiệp chưa nhận khoản hỗ trợ nào.',
	'support.nobiz': 'Tài khoản của bạn chưa thuộc doanh nghiệp nào.',
	'support.paid': 'Đã nhận',
	'support.waiting': 'Chờ giải ngân',
	'status.active': 'đang thực hiện',
	'status.cancelled': 'đã hủy',
	'status.pending': 'chờ duyệt',
	'status.posted': 'đã chi',
	'status.rejected': 'bị từ chối',
	'status.reversed': 'đã đảo',
};

const en = {
	'plans.title': 'Support budget plans',
	'plans.province': 'Province',
	'plans.plan': 'Plan',
	'plans.period': 'Period',
	'plans.planned': 'Planned',
	'plans.remaining': 'Remaining',
	'plans.disagreements': 'Figures that disagree',
	'plans.draft': 'draft',
	'report.csv': 'Download the table (CSV for Excel)',
	'report.found': 'Totals stated in the document that are not the sum of their lines:',
	'report.none': 'Every total of the appendix is the sum of its lines.',
	'report.stated': 'stated',
	'report.computed': 'adds up to',
	'report.line': 'No.',
	'report.content': 'Activity',
	'report.period': 'Whole period',
	'report.total': 'Total',
	'report.progress': 'Progress by year and source',
	'report.source': 'Source',
	'report.committed': 'Committed',
	'report.disbursed': 'Disbursed',
	'report.chart': 'Chart: planned, committed, disbursed by year and source',
	'src.provincial': 'Provincial',
	'src.central': 'Central',
	'src.business': 'Business',
	'src.other': 'Other',
	'grants.title': 'Grant support to a business',
	'grants.programme': 'Support programme',
	'grants.choose': '— Choose a programme —',
	'grants.business': 'Business (ID)',
	'grants.year': 'Year',
	'grants.decision': 'Decision number',
	'grants.cost': 'Eligible cost (VND)',
	'grants.preview': "Support by the programme's rule",
	'grants.counterpart': 'Business counterpart',
	'grants.save': 'Record the grant',
	'grants.saved': 'Grant {id} recorded.',
	'grants.shortfall': 'Line {line}, year {year}, source {source}: {remaining} left, {shortfall} short.',
	'grants.list': 'Recent grants',
	'grants.none': 'No grants yet.',
	'grants.cancelled': 'cancelled',
	'disb.title': 'Disbursement',
	'disb.grant': 'Grant number',
	'disb.amount': 'Amount (VND)',
	'disb.date': 'Paid on',
	'disb.voucher': 'Voucher number',
	'disb.method': 'Method',
	'disb.bank_transfer': 'Bank transfer',
	'disb.treasury': 'State treasury',
	'disb.cash': 'Cash',
	'disb.save': 'Record the payment',
	'disb.saved': 'Payment {id} recorded ({status}).',
	'queue.title': 'Approvals (second admin)',
	'queue.none': 'No payment is waiting for approval.',
	'queue.approve': 'Approve',
	'queue.reject': 'Reject',
	'queue.reason': 'Reason for rejecting',
	'queue.maker': 'Recorded by account {id}',
	'support.title': "Our business's support",
	'support.none': 'The business has received no support yet.',
	'support.nobiz': 'Your account does not belong to a business.',
	'support.paid': 'Received',
	'support.waiting': 'To be paid',
	'status.active': 'active',
	'status.cancelled': 'cancelled',
	'status.pending': 'waiting for approval',
	'status.posted': 'paid',
	'status.rejected': 'rejected',
	'status.reversed': 'reversed',
};

export function tr(key, vars) {
	let s = (lang.get() === 'en' ? en : vi)[key] ?? vi[key] ?? key;
	if (vars)
		s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? vars[k] : m));
	return s;
}

/* The same rule as api.grant_amount / api.grant_split (sql/api/80_subsidy.sql):
 * fixed, or rate_bp of the cost rounded down up to cap_vnd; shares rounded
 * down, the rest to the largest share.  Only a preview: the server computes. */
export function grantPreview(g, cost) {
	if (!g)
		return null;
	let amount;
	if (g.rule === 'fixed')
		amount = g.fixed_vnd;
	else if (!(cost > 0))
		return null;
	else {
		amount = Math.floor(cost * g.rate_bp / 10000);
		if (g.cap_vnd != null && amount > g.cap_vnd)
			amount = g.cap_vnd;
	}
	const order = ['provincial', 'central', 'business', 'other'];
	const src = order.filter((s) => g.sources && g.sources[s]);
	const parts = src.map((s) => ({ source: s, bp: g.sources[s].share_bp,
	    amount: Math.floor(amount * g.sources[s].share_bp / 10000) }));
	const big = parts.slice().sort((a, b) => b.bp - a.bp || order.indexOf(a.source) - order.indexOf(b.source))[0];
	if (big)
		big.amount += amount - parts.reduce((n, p) => n + p.amount, 0);
	return { amount, parts, counterpart: cost > 0 ? Math.floor(cost * (g.counterpart_bp || 0) / 10000) : 0 };
}
