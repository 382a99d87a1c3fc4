-- The 63 provinces before 1 July 2025 (code, name, official name) and the
-- province each became part of (Resolution 202/2025/QH15).  Data: see
-- README.md in this folder.
COPY san.former_provinces (code, name, full_name, province_code) FROM stdin WITH (FORMAT csv);
01,Hà Nội,Thành phố Hà Nội,01
04,Cao Bằng,Tỉnh Cao Bằng,04
02,Hà Giang,Tỉnh Hà Giang,08
08,Tuyên Quang,Tỉnh Tuyên Quang,08
11,Điện Biên,Tỉnh Điện Biên,11
12,Lai Châu,Tỉnh Lai Châu,12
14,Sơn La,Tỉnh Sơn La,14
10,Lào Cai,Tỉnh Lào Cai,15
15,Yên Bái,Tỉnh Yên Bái,15
06,Bắc Kạn,Tỉnh Bắc Kạn,19
19,Thái Nguyên,Tỉnh Thái Nguyên,19
20,Lạng Sơn,Tỉnh Lạng Sơn,20
22,Quảng Ninh,Tỉnh Quảng Ninh,22
24,Bắc Giang,Tỉnh Bắc Giang,24
27,Bắc Ninh,Tỉnh Bắc Ninh,24
17,Hoà Bình,Tỉnh Hoà Bình,25
25,Phú Thọ,Tỉnh Phú Thọ,25
26,Vĩnh Phúc,Tỉnh Vĩnh Phúc,25
30,Hải Dương,Tỉnh Hải Dương,31
31,Hải Phòng,Thành phố Hải Phòng,31
33,Hưng Yên,Tỉnh Hưng Yên,33
34,Thái Bình,Tỉnh Thái Bình,33
35,Hà Nam,Tỉnh Hà Nam,37
36,Nam Định,Tỉnh Nam Định,37
37,Ninh Bình,Tỉnh Ninh Bình,37
38,Thanh Hóa,Tỉnh Thanh Hóa,38
40,Nghệ An,Tỉnh Nghệ An,40
42,Hà Tĩnh,Tỉnh Hà Tĩnh,42
44,Quảng Bình,Tỉnh Quảng Bình,44
45,Quảng Trị,Tỉnh Quảng Trị,44
46,Huế,Thành phố Huế,46
48,Đà Nẵng,Thành phố Đà Nẵng,48
49,Quảng Nam,Tỉnh Quảng Nam,48
51,Quảng Ngãi,Tỉnh Quảng Ngãi,51
62,Kon Tum,Tỉnh Kon Tum,51
52,Bình Định,Tỉnh Bình Định,52
64,Gia Lai,Tỉnh Gia Lai,52
56,Khánh Hòa,Tỉnh Khánh Hòa,56
58,Ninh Thuận,Tỉnh Ninh Thuận,56
54,Phú Yên,Tỉnh Phú Yên,66
66,Đắk Lắk,Tỉnh Đắk Lắk,66
60,Bình Thuận,Tỉnh Bình Thuận,68
67,Đắk Nông,Tỉnh Đắk Nông,68
68,Lâm Đồng,Tỉnh Lâm Đồng,68
70,Bình Phước,Tỉnh Bình Phước,75
75,Đồng Nai,Tỉnh Đồng Nai,75
74,Bình Dương,Tỉnh Bình Dương,79
77,Bà Rịa - Vũng Tàu,Tỉnh Bà Rịa - Vũng Tàu,79
79,Hồ Chí Minh,Thành phố Hồ Chí Minh,79
72,Tây Ninh,Tỉnh Tây Ninh,80
80,Long An,Tỉnh Long An,80
82,Tiền Giang,Tỉnh Tiền Giang,82
87,Đồng Tháp,Tỉnh Đồng Tháp,82
83,Bến Tre,Tỉnh Bến Tre,86
84,Trà Vinh,Tỉnh Trà Vinh,86
86,Vĩnh Long,Tỉnh Vĩnh Long,86
89,An Giang,Tỉnh An Giang,91
91,Kiên Giang,Tỉnh Kiên Giang,91
92,Cần Thơ,Thành phố Cần Thơ,92
93,Hậu Giang,Tỉnh Hậu Giang,92
94,Sóc Trăng,Tỉnh Sóc Trăng,92
95,Bạc Liêu,Tỉnh Bạc Liêu,96
96,Cà Mau,Tỉnh Cà Mau,96
\.
