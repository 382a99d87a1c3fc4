/*
 * The catalogue of error codes: every code the server or an SQL function
 * (api.err in sql/api/) can answer, with its message in Vietnamese and
 * English.  tests/api/errors.bats fails when SQL uses a code missing here.
 * No Kore headers: unit tests may link it.
 */
#include <stdlib.h>
#include <string.h>

#include "errors.h"

struct error_text {
	const char	*code;
	const char	*vi;
	const char	*en;
};

/* Sorted by code (errcat_message() uses bsearch). */
static const struct error_text errors[] = {
	{ "account_not_found", "Không tìm thấy tài khoản.",
	    "Account not found." },
	{ "body_too_large", "Nội dung yêu cầu quá lớn (tối đa 1 MiB).",
	    "Request body too large (1 MiB at most)." },
	{ "business_not_found", "Không tìm thấy doanh nghiệp.",
	    "Business not found." },
	{ "business_not_verified",
	    "Doanh nghiệp chưa được Sở xác minh nên chưa thể mở gian hàng.",
	    "The business has not been verified by the department yet." },
	{ "business_suspended",
	    "Doanh nghiệp đang bị đình chỉ; không thể chỉnh sửa.",
	    "The business is suspended and cannot be edited." },
	{ "busy", "Máy chủ đang bận, vui lòng thử lại sau giây lát.",
	    "The server is busy; please retry shortly." },
	{ "category_cycle", "Danh mục không thể là cha của chính nó.",
	    "A category cannot be its own ancestor." },
	{ "category_not_found", "Không tìm thấy danh mục.",
	    "Category not found." },
	{ "category_prohibited", "Hàng hóa thuộc danh mục cấm kinh doanh, không được đăng bán.",
	    "Goods in this category are prohibited and cannot be listed." },
	{ "category_slug_taken", "Đường dẫn danh mục đã được sử dụng.",
	    "This category slug is taken." },
	{ "csrf_origin",
	    "Yêu cầu bị từ chối: nguồn gốc (Origin) không hợp lệ.",
	    "Request refused: missing or foreign Origin." },
	{ "date_in_future", "Ngày không được ở tương lai.",
	    "The date cannot be in the future." },
	{ "db_unavailable",
	    "Cơ sở dữ liệu tạm thời không sẵn sàng, vui lòng thử lại.",
	    "The database is temporarily unavailable; please retry." },
	{ "email_taken", "Email này đã được đăng ký.",
	    "This email is already registered." },
	{ "empty_update", "Không có trường nào để cập nhật.",
	    "Nothing to update." },
	{ "forbidden", "Bạn không có quyền thực hiện thao tác này.",
	    "You are not allowed to do this." },
	{ "image_not_found", "Không tìm thấy hình ảnh.",
	    "Image not found." },
	{ "image_too_large", "Hình ảnh quá lớn (tối đa 2 MiB).",
	    "Image too large (2 MiB at most)." },
	{ "internal", "Lỗi hệ thống. Vui lòng thử lại sau.",
	    "Internal error. Please try again later." },
	{ "invalid", "Giá trị không hợp lệ.", "Invalid value." },
	{ "invalid_choice", "Giá trị không nằm trong danh sách cho phép.",
	    "Value is not one of the allowed choices." },
	{ "invalid_credentials", "Email hoặc mật khẩu không đúng.",
	    "Wrong email or password." },
	{ "invalid_cursor", "Con trỏ phân trang không hợp lệ.",
	    "Invalid pagination cursor." },
	{ "invalid_date", "Ngày không hợp lệ (định dạng YYYY-MM-DD).",
	    "Invalid date (use YYYY-MM-DD)." },
	{ "invalid_email", "Địa chỉ email không hợp lệ.",
	    "Invalid email address." },
	{ "invalid_id", "Mã định danh không hợp lệ.", "Invalid identifier." },
	{ "invalid_limit", "Giới hạn số bản ghi phải từ 1 đến 100.",
	    "limit must be between 1 and 100." },
	{ "invalid_phone",
	    "Số điện thoại di động Việt Nam không hợp lệ.",
	    "Invalid Vietnamese mobile phone number." },
	{ "invalid_query", "Tham số truy vấn không hợp lệ.",
	    "Invalid query parameter." },
	{ "invalid_slug",
	    "Đường dẫn gian hàng chỉ gồm chữ thường không dấu, số và dấu "
	    "gạch ngang (3–63 ký tự).",
	    "Slug must be 3-63 lower-case ASCII letters, digits and dashes." },
	{ "invalid_tax_code",
	    "Mã số thuế không hợp lệ (10 chữ số đúng chữ số kiểm tra, hoặc "
	    "thêm -NNN cho chi nhánh).",
	    "Invalid tax code (10 digits with a valid check digit, optionally "
	    "-NNN for a branch)." },
	{ "invalid_text", "Văn bản chứa ký tự không hợp lệ.",
	    "Text contains invalid characters." },
	{ "invalid_transition",
	    "Không thể thực hiện quyết định này ở trạng thái hiện tại.",
	    "This decision is not possible in the current state." },
	{ "json_invalid", "Nội dung JSON không hợp lệ.", "Malformed JSON." },
	{ "json_not_object", "Nội dung JSON phải là một đối tượng.",
	    "The JSON body must be an object." },
	{ "json_too_deep", "Nội dung JSON lồng nhau quá sâu.",
	    "JSON nested too deeply." },
	{ "last_admin",
	    "Không thể thu hồi quyền của quản trị viên cuối cùng.",
	    "The last admin cannot be revoked." },
	{ "licence_required", "Danh mục kinh doanh có điều kiện: cần số giấy phép/giấy chứng nhận.",
	    "Conditional category: a licence or certificate reference is required." },
	{ "method_not_allowed", "Phương thức không được hỗ trợ.",
	    "Method not allowed." },
	{ "not_a_string", "Giá trị phải là chuỗi.",
	    "Value must be a string." },
	{ "not_an_integer", "Giá trị phải là số nguyên.",
	    "Value must be an integer." },
	{ "not_found", "Không tìm thấy.", "Not found." },
	{ "ocop_certificate_required", "Sản phẩm OCOP cần số giấy chứng nhận OCOP.",
	    "An OCOP rating needs its certificate number." },
	{ "out_of_range", "Giá trị nằm ngoài khoảng cho phép.",
	    "Value out of range." },
	{ "password_common",
	    "Mật khẩu quá phổ biến, vui lòng chọn mật khẩu khác.",
	    "This password is too common; choose another." },
	{ "password_too_long", "Mật khẩu quá dài.", "Password too long." },
	{ "password_too_short", "Mật khẩu phải có ít nhất 12 ký tự.",
	    "Password must be at least 12 characters." },
	{ "product_not_found", "Không tìm thấy sản phẩm.",
	    "Product not found." },
	{ "product_removed", "Sản phẩm đã bị cơ quan quản lý gỡ bỏ; không thể chỉnh sửa.",
	    "The product was removed by the authorities and cannot be edited." },
	{ "reason_required", "Cần nêu lý do cho quyết định này.",
	    "A reason is required for this decision." },
	{ "required", "Trường này là bắt buộc.", "This field is required." },
	{ "slug_taken", "Đường dẫn gian hàng đã được sử dụng.",
	    "This store slug is taken." },
	{ "store_not_found", "Không tìm thấy gian hàng.",
	    "Store not found." },
	{ "tax_code_taken", "Mã số thuế này đã được đăng ký trên sàn.",
	    "This tax code is already registered." },
	{ "too_long", "Giá trị quá dài.", "Value too long." },
	{ "too_many_attempts",
	    "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau.",
	    "Too many failed logins. Please try again later." },
	{ "too_many_images", "Mỗi sản phẩm có tối đa 8 hình ảnh.",
	    "A product has at most 8 images." },
	{ "unauthenticated", "Bạn cần đăng nhập.",
	    "Authentication required." },
	{ "unknown_field", "Yêu cầu chứa trường không được hỗ trợ.",
	    "The request contains an unsupported field." },
	{ "unsupported_image_type", "Chỉ chấp nhận ảnh JPEG, PNG hoặc WebP.",
	    "Only JPEG, PNG or WebP images are accepted." },
	{ "unsupported_media_type",
	    "Content-Type phải là application/json.",
	    "Content-Type must be application/json." },
};

static int
error_cmp(const void *key, const void *elem)
{
	return (strcmp(key, ((const struct error_text *)elem)->code));
}

const char *
errcat_message(const char *code, int english)
{
	const struct error_text	*e;

	e = bsearch(code, errors, sizeof(errors) / sizeof(errors[0]),
	    sizeof(errors[0]), error_cmp);
	if (e == NULL)
		return (english ? "Request failed." : "Yêu cầu không thành công.");
	return (english ? e->en : e->vi);
}

int
errcat_known(const char *code)
{
	return (bsearch(code, errors, sizeof(errors) / sizeof(errors[0]),
	    sizeof(errors[0]), error_cmp) != NULL);
}
