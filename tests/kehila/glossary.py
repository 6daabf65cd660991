"""The program's glossary: one Hebrew and one Arabic term for each body, stage and role (the Hebrew of
../shared/DOMAIN.md, with the Arabic chosen for the portal beside it). tests/kehila/test_i18n.py holds every
catalogue to it: where an English msgid names a concept, its translation uses the term (any inflection:
the stem is searched) and never a rejected synonym.

Each row: (concept, English pattern, Hebrew stems, Hebrew rejected, Arabic stems, Arabic rejected).
Patterns are regular expressions over the msgid, case-insensitive; rejected terms are regular
expressions over the translation.

The Arabic terms, for translators:
  Kehila Metiva            كهيلا ميتيفا
  program / program team   البرنامج / طاقم البرنامج
  program manager          مدير/ة البرنامج
  program HQ               إدارة البرنامج
  municipality             السلطة المحلية (plural السلطات المحلية), never البلدية
  mayor / mayor's office   رئيس/ة السلطة المحلية / مكتب رئيس السلطة المحلية
  director general         المدير/ة العام/ة للسلطة المحلية
  track / track lead       مسار / مسؤول/ة المسار
  steering committee       لجنة التوجيه
  design committee         لجنة التصميم
  work team                فريق عمل (plural فرق العمل)
  committee member         عضو/ة لجنة
  meeting                  اجتماع, never لقاء (a one-off gathering is لقاء)
  agenda / minutes         جدول الأعمال / محضر الاجتماع
  RSVP                     تأكيد الحضور
  stakeholder              صاحب/ة مصلحة (plural أصحاب المصلحة)
  partner / sector         شريك / قطاع
  consent: active, passive, opposed    الموافقة: فعّالة، سلبية، معارضة
  milestone / timeline     محطة / الجدول الزمني
  scope decision           قرار النطاق
  strategic plan / work plan           الخطة الاستراتيجية / خطة العمل
  vision / goal / objective / indicator رؤية / هدف / غاية / مؤشر
  logic model / theory of change       النموذج المنطقي / نظرية التغيير
  action (of a work plan) / action item (of a meeting)   نشاط / مهمة
  agreements document / MoU / budget appendix   وثيقة التفاهمات / مذكرة التفاهم / ملحق الميزانية
  mapping / situation picture          المسح / صورة الوضع
  initiative / hackathon / pilot       مبادرة / هاكاثون / المشروع التجريبي
  score (given by a scorer)            علامة
  focus challenge / neighbourhood      تحدٍّ محوري / حي
"""

# Hebrew words are matched without their one-letter prefixes (ה, ב, ל, ו, ש, מ) by searching the stem.
_HE_WORD_START = r"(?:^|[^\u0590-\u05ff])[הבלוש]?"

GLOSSARY = [
    ("track", r"\btracks?\b(?! lead)", ["אפיק"], [r"מסלול"], ["مسار"], [r"مسلك"]),
    (
        "steering committee",
        r"\bsteering committee",
        ["ועדת ההיגוי", "ועדת היגוי"],
        [],
        ["لجنة التوجيه"],
        [r"لجنة القيادة"],
    ),
    (
        "design committee",
        r"\bdesign committee",
        ["מעצבת"],
        [],
        ["لجنة التصميم"],
        [r"اللجنة المصممة"],
    ),
    ("work team", r"\bwork teams?\b", ["צוות"], [], ["فريق", "فرق"], []),
    ("stakeholder", r"\bstakeholders?\b", ["עניין"], [], ["المصلحة", "مصلحة"], []),
    ("agenda", r"\bagendas?\b", ["סדר"], [], ["جدول الأعمال", "جدول أعمال", "جداول أعمال"], []),
    (
        "mayor's office",
        r"\bmayor's office",
        ["לשכת ראש הרשות"],
        [],
        ["مكتب رئيس السلطة المحلية"],
        [],
    ),
    ("hackathon", r"\bhackathons?\b", ["האקתו"], [], ["هاكاثون"], []),
    ("initiative", r"\binitiatives?\b", ["יוזמ"], [], ["مبادر"], []),
    ("logic model", r"\blogic models?\b", ["לוגי"], [], ["منطقي"], []),
    ("theory of change", r"\btheory of change\b", ["תיאוריית השינוי"], [], ["نظرية التغيير"], []),
    ("situation picture", r"\bsituation picture\b", ["תמונת"], [], ["صورة الوضع"], []),
    ("agreements document", r"\bagreements documents?\b", ["הסכמות"], [], ["التفاهمات"], []),
    (
        "memorandum of understanding",
        r"\bmemorandum of understanding\b",
        ["הבנות"],
        [],
        ["مذكرة التفاهم"],
        [],
    ),
    ("budget appendix", r"\bbudget appendix\b", ["נספח"], [], ["ملحق الميزانية"], []),
    ("vision", r"\bvision\b", ["חזון"], [], ["رؤي"], []),
    ("objective", r"\bobjectives?\b", ["יעד"], [], ["غاي"], []),
    ("indicator", r"\bindicators?\b", ["מדד"], [], ["مؤشر"], []),
    (
        "milestone",
        r"\bmilestones?\b",
        ["אבן דרך", "אבני דרך", "אבני הדרך", "אבן הדרך"],
        [],
        ["محط"],
        [],
    ),
    (
        "municipality",
        r"\bmunicipality\b",
        ["רשות", "רשויות"],
        [_HE_WORD_START + r"עירי"],
        ["سلط"],
        [r"البلدية"],
    ),
    (
        "meeting",
        r"\bmeetings?\b",
        ["מפגש", "כנס"],
        [_HE_WORD_START + r"(?:פגישה|פגישות|ישיבה|ישיבות)"],
        ["اجتماع"],
        [r"لقاء"],
    ),
]

# msgids that list the literal column keys of a spreadsheet: their words are code, not concepts.
GLOSSARY_EXEMPT = {
    "Columns: challenge (number), indicator, value, unit, source, date, neighbourhood.",
}
