/* Strings of the statistics and survey screens (Vietnamese, English). */
import { lang } from '../../i18n.js';

const vi = {
	title: 'Thống kê sàn', year: 'Năm', as_of: 'số liệu lúc', sme: 'Số doanh nghiệp nhỏ và vừa của tỉnh',
	target: 'Mục tiêu', no_target: 'Chưa có mục tiêu trong kế hoạch', on_track: 'Đạt mục tiêu', behind: 'Chưa đạt',
	series: 'Diễn biến theo thời gian và địa bàn', indicator: 'Chỉ tiêu', by: 'Chia theo',
	by_month: 'Tháng', by_province: 'Tỉnh', by_ward: 'Xã, phường', csv: 'Tải CSV',
	key: 'Kỳ / địa bàn', value: 'Giá trị', businesses: 'Số doanh nghiệp', suppressed: 'ẩn khi xuất: dưới 5 doanh nghiệp',
	chart_label: 'Biểu đồ chỉ tiêu đã chọn; số liệu ở bảng bên dưới',
	survey: 'Khảo sát doanh nghiệp', survey_none: 'Hiện không có đợt khảo sát nào đang mở cho doanh nghiệp của bạn.',
	survey_send: 'Gửi câu trả lời', survey_sent: 'Đã gửi. Bạn có thể sửa đến khi đợt khảo sát đóng.',
	survey_for: 'Trả lời cho', survey_answered: 'đã trả lời', required: 'bắt buộc',
	survey_admin: 'Quản lý khảo sát', survey_new: 'Phiếu khảo sát mới', survey_title: 'Tên phiếu (tiếng Việt)',
	survey_questions: 'Câu hỏi, mỗi dòng một câu: loại|nội dung|bắt buộc (có/không)|phương án 1;phương án 2',
	survey_create: 'Tạo phiếu', round_title: 'Tên đợt', opens_on: 'Mở từ ngày', closes_on: 'Đóng ngày',
	round_open: 'Mở đợt', round_close: 'Đóng đợt', progress: 'Đã trả lời {a} / {n} doanh nghiệp',
	results: 'Kết quả', answers_csv: 'Tải câu trả lời (CSV)',
};
const en = {
	title: 'Floor statistics', year: 'Year', as_of: 'figures as of', sme: 'SMEs in the province',
	target: 'Target', no_target: 'No target in the plans', on_track: 'On track', behind: 'Behind',
	series: 'Over time and by place', indicator: 'Indicator', by: 'By',
	by_month: 'Month', by_province: 'Province', by_ward: 'Ward or commune', csv: 'Download CSV',
	key: 'Period / place', value: 'Value', businesses: 'Businesses', suppressed: 'hidden in exports: under 5 businesses',
	chart_label: 'Chart of the chosen indicator; the figures are in the table below',
	survey: 'Business survey', survey_none: 'No survey round is open for your businesses now.',
	survey_send: 'Send the answers', survey_sent: 'Sent. You can edit until the round closes.',
	survey_for: 'Answering for', survey_answered: 'answered', required: 'required',
	survey_admin: 'Surveys', survey_new: 'New questionnaire', survey_title: 'Title (Vietnamese)',
	survey_questions: 'Questions, one per line: kind|text|required (có/không)|choice 1;choice 2',
	survey_create: 'Create', round_title: 'Round title', opens_on: 'Opens on', closes_on: 'Closes on',
	round_open: 'Open a round', round_close: 'Close the round', progress: '{a} of {n} businesses answered',
	results: 'Results', answers_csv: 'Download the answers (CSV)',
};

export function s(key, vars) {
	let v = (lang.get() === 'en' ? en : vi)[key] ?? vi[key] ?? key;
	if (vars)
		v = v.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? vars[k] : m));
	return v;
}
