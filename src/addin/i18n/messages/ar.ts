import type { Catalogue } from './en.ts';

/**
 * العربية الفصحى المعاصرة، بمصطلحات واجهة Windows وExchange العربية. تُكتب من اليمين إلى اليسار؛
 * الأسماء اللاتينية (Outlook وKerberos والعناوين) تبقى كما هي ويعزلها المتصفح اتجاهياً.
 */
const ar = {
  'product.name': 'Outlook IWA',
  'document.title': '{view} – {product}',

  'status.starting': 'جارٍ تسجيل الدخول إلى Outlook IWA…',
  'status.signedIn': 'تم تسجيل الدخول باسم {mailbox}.',
  'status.failed': 'لم ينجح تسجيل الدخول: أنت غير مسجّل الدخول.',
  'status.signedOut': 'تم تسجيل الخروج من Outlook IWA.',

  'startup.heading': 'تسجيل الدخول',
  'startup.step.office': 'جارٍ الاتصال بـ Outlook…',
  'startup.step.session': 'جارٍ التحقق من جلستك…',
  'startup.step.methods': 'جارٍ البحث عن طرق تسجيل الدخول المتاحة لك…',
  'startup.step.iwa': 'جارٍ تسجيل الدخول بحساب Windows…',
  'startup.step.identityToken': 'جارٍ تسجيل الدخول برمز الهوية من Outlook…',
  'startup.step.password': 'جارٍ تسجيل الدخول بكلمة المرور…',

  'notification.failed': 'تعذّر على Outlook IWA تسجيل دخولك. افتح جزء Outlook IWA لإصلاح المشكلة.',
  'notification.action': 'إصلاح تسجيل الدخول',

  'host.title': 'الفتح في Outlook',
  'host.heading': 'افتح هذه الصفحة من Outlook',
  'host.notLoaded': 'تعذّر تحميل مكتبة الوظائف الإضافية لـ Outlook من خدمة تسجيل الدخول.',
  'host.notInOutlook': 'هذه الصفحة هي الوظيفة الإضافية Outlook IWA، ولا تعمل إلا داخل Outlook.',
  'host.next':
    'افتح رسالة في Outlook واختر Outlook IWA من الشريط. إذا استمر ظهور هذا داخل Outlook، فأبلغ مسؤول تكنولوجيا المعلومات.',

  'settings.heading': 'إعدادات المصادقة',
  'settings.notSignedIn': 'لم تسجّل الدخول.',
  'settings.failureTitle': '{title}.',
  'settings.fixSignIn': 'إصلاح تسجيل الدخول',
  'settings.signedOut': 'لقد سجّلت الخروج.',
  'settings.signIn': 'تسجيل الدخول',
  'settings.signingIn': 'جارٍ تسجيل الدخول…',
  'settings.session': 'جلستك',
  'settings.signedInAs': 'مسجّل الدخول باسم',
  'settings.method': 'الطريقة',
  'settings.mechanism': 'آلية المصادقة',
  'settings.expires': 'تنتهي الجلسة في',
  'settings.signOut': 'تسجيل الخروج',
  'settings.methods': 'طرق تسجيل الدخول',
  'settings.help': 'المساعدة في تسجيل الدخول',

  'mechanism.kerberos': 'Kerberos',
  'mechanism.ntlm': 'NTLM',

  'card.status': 'الحالة:',
  'card.badge.active': 'نشطة',
  'card.badge.available': 'متاحة',
  'card.badge.notEnabled': 'لم يمكّنها المسؤول',
  'card.badge.notPossible': 'غير ممكنة هنا',
  'card.badge.failed': 'فشلت',
  'card.notEnabled': 'لم يمكّن المسؤول هذه الطريقة لصندوق بريدك.',
  'card.fixLabel': '{action}: {method}',
  'card.checksFor': 'فحوصات {method}',
  'card.runningChecks': 'جارٍ إجراء الفحوصات…',
  'card.retrying': 'جارٍ تسجيل الدخول من جديد…',
  'card.fixed': 'تم الإصلاح: لقد سجّلت الدخول.',
  'card.checkFailed': 'فشل أحد الفحوصات. اتبع «ما يجب فعله» الخاص به، ثم اختر «{action}» مرة أخرى.',

  'method.iwa.title': 'تسجيل الدخول عبر Windows (IWA)',
  'method.iwa.summary': 'يسجّل دخولك بحساب Windows دون كلمة مرور.',
  'method.iwa.fix': 'إصلاح',
  'method.identityToken.title': 'رمز هوية Exchange',
  'method.identityToken.summary':
    'يعيد تسجيل دخولك تلقائياً برمز من Outlook، بعد أن تسجّل الدخول مرة بطريقة أخرى.',
  'method.identityToken.fix': 'إصلاح',
  'method.password.title': 'كلمة مرور المجال',
  'method.password.summary': 'اكتب كلمة مرور Windows مرة واحدة. يتحقق منها Exchange ولا تُحفظ أبداً.',
  'method.password.fix': 'تسجيل الدخول بكلمة المرور',
  'method.office365.iwa':
    'صندوق بريدك موجود في Office 365 (Exchange Online). لا يعمل تسجيل الدخول عبر Windows إلا مع خوادم Exchange الخاصة بمؤسستك.',
  'method.office365.identityToken':
    'صندوق بريدك موجود في Office 365 (Exchange Online). لا يعمل رمز هوية Exchange إلا مع خوادم Exchange الخاصة بمؤسستك.',
  'method.office365.password':
    'صندوق بريدك موجود في Office 365 (Exchange Online). لا يعمل تسجيل الدخول بكلمة مرور المجال إلا مع خوادم Exchange الخاصة بمؤسستك.',
  'method.consumer': 'هذا حساب شخصي (Outlook.com أو Gmail)، وليس صندوق بريد للعمل.',

  'step.passed': '{name}: نجح',
  'step.failed': '{name}: فشل',
  'step.warned': '{name}: نجح، مع تحذير',
  'step.remedy': 'ما يجب فعله: {remedy}',
  'step.profile': 'ملف تعريف تسجيل الدخول',
  'step.dns': 'اسم خادم Exchange ‏(DNS)',
  'step.tcp': 'الاتصال بـ Exchange',
  'step.tls': 'شهادة Exchange ‏(TLS)',
  'step.negotiate': 'مصادقة Windows التي يعرضها Exchange',
  'step.extendedProtection': 'الحماية الموسّعة',
  'step.token.name': 'Outlook يوفّر رمز هوية',
  'step.token.ok': 'أعطى Outlook رمزاً.',
  'step.token.missing': 'لم يُعطِ Outlook رمز هوية.',
  'step.token.remedy': 'استخدم تسجيل الدخول عبر Windows أو كلمة المرور بدلاً من ذلك.',

  'outcome.whatHappened': 'ما الذي حدث',
  'outcome.whoCanFix': 'من يمكنه الإصلاح',
  'outcome.nextStep': 'الخطوة التالية',
  'fixer.you': 'أنت',
  'fixer.admin': 'مسؤول تكنولوجيا المعلومات',
  'fixer.youThenAdmin': 'أنت أولاً، ثم مسؤول تكنولوجيا المعلومات إن لم ينجح ذلك',
  'fixer.nobody': 'لا أحد: هكذا أُعدّ صندوق بريدك',

  'password.formLabel': 'تسجيل الدخول بكلمة مرور المجال',
  'password.username': 'اسم مستخدم Windows',
  'password.usernameHint': 'مثلاً CORP\\alice أو alice@corp.test',
  'password.password': 'كلمة المرور',
  'password.show': 'إظهار كلمة المرور',
  'password.submit': 'تسجيل الدخول',
  'password.signingIn': 'جارٍ تسجيل الدخول…',
  'password.enterUsername': 'أدخل اسم مستخدم Windows.',
  'password.enterPassword': 'أدخل كلمة المرور.',
  'password.wrong': 'اسم المستخدم أو كلمة المرور غير صحيحة.',
  'password.mismatch': '{what} استخدم حساب {mailbox}.',
  'password.badUsername': 'أدخل اسم مستخدم Windows، مثلاً CORP\\alice أو alice@corp.test.',
  'password.formError': '{title}. {next}',

  'wizard.title': 'المساعدة في تسجيل الدخول',
  'wizard.heading': 'المساعدة في تسجيل الدخول',
  'wizard.opening': 'جارٍ فتح المساعدة في تسجيل الدخول…',
  'wizard.step1': '1. إعداداتك',
  'wizard.setupChecks': 'فحوصات الإعداد',
  'wizard.checkingSetup': 'جارٍ فحص إعداداتك…',
  'wizard.step2': '2. تسجيل الدخول عبر Windows',
  'wizard.iwaTrying': 'جارٍ تسجيل الدخول بحساب Windows…',
  'wizard.iwaProgress': 'جارٍ تسجيل الدخول بحساب Windows',
  'wizard.iwaSkipped': 'لم تتم المحاولة: لا يمكن أن يعمل هنا (انظر أدناه).',
  'wizard.iwaWorked': 'نجح تسجيل الدخول عبر Windows.',
  'wizard.iwaFailed': 'لم ينجح تسجيل الدخول عبر Windows.',
  'wizard.tryAgain': 'إعادة المحاولة',
  'wizard.step3': '3. ما الذي حدث',
  'wizard.step4': '4. طرق أخرى لتسجيل الدخول',
  'wizard.noAlternatives': 'لا توجد طريقة أخرى لتسجيل الدخول ممكّنة لصندوق بريدك. يمكن للمسؤول تمكين إحداها.',
  'wizard.identityTokenButton': 'تسجيل الدخول برمز الهوية من Outlook',
  'wizard.signingIn': 'جارٍ تسجيل الدخول…',
  'wizard.done': 'تم',
  'wizard.signedIn': 'لقد سجّلت الدخول باسم {mailbox} باستخدام {method}.',
  'wizard.close': 'إغلاق',
  'wizard.back': 'العودة إلى إعدادات المصادقة',
  'wizard.setup.mailbox': 'صندوق بريد Outlook',
  'wizard.setup.where': 'مكان صندوق بريدك',
  'wizard.setup.onPremises': 'صندوق بريدك موجود على خوادم Exchange الخاصة بمؤسستك.',
  'wizard.setup.office365':
    'صندوق بريدك موجود في Office 365 (Exchange Online): تسجيل الدخول عبر Windows غير مدعوم.',
  'wizard.setup.consumer': 'هذا حساب شخصي على Outlook.com أو Gmail.',
  'wizard.setup.unknown': 'لم يذكر Outlook مكان صندوق بريدك؛ سنفترض أنه على خوادم Exchange الخاصة بمؤسستك.',
  'wizard.setup.profile': 'ملف تعريف تسجيل الدخول',
  'wizard.setup.profileFailed': 'لم تتمكن خدمة تسجيل الدخول من تحديد الطرق المسموح لك باستخدامها.',
  'wizard.setup.profileFound': 'تم العثور عليه',
  'wizard.setup.iwaEnabled': 'تسجيل الدخول عبر Windows ممكّن من المسؤول',
  'wizard.setup.yes': 'نعم',
  'wizard.setup.no': 'لا',

  'outcome.anotherWay': 'وفي الأثناء، سجّل الدخول بطريقة أخرى إن عُرضت عليك أدناه.',
  'outcome.generic.title': 'حدث خطأ ما',
  'outcome.generic.what': 'أبلغت خدمة تسجيل الدخول عن مشكلة (الرمز {code}).',
  'outcome.generic.whatHttp': 'أبلغت خدمة تسجيل الدخول عن مشكلة (الرمز {code}، HTTP {status}).',
  'outcome.generic.next':
    'أعد المحاولة لاحقاً. إذا استمرت المشكلة، فأبلغ مسؤول تكنولوجيا المعلومات بالرمز {code}.',

  'outcome.CAS_NO_NEGOTIATE.title': 'لا يعرض Exchange تسجيل الدخول عبر Windows',
  'outcome.CAS_NO_NEGOTIATE.what': 'مصادقة Windows معطّلة لخدمات ويب Exchange على خادم Exchange في مؤسستك.',
  'outcome.CAS_NO_NEGOTIATE.whatOffered':
    'مصادقة Windows معطّلة لخدمات ويب Exchange على خادم Exchange في مؤسستك (لا يعرض إلا: {offered}).',
  'outcome.CAS_NO_NEGOTIATE.next':
    'اطلب من مسؤول Exchange تمكين مصادقة Windows ‏(Negotiate) على الدليل الظاهري EWS في IIS. {anotherWay}',
  'outcome.AUTH_REJECTED.title': 'لم يقبل Exchange تسجيل دخولك عبر Windows',
  'outcome.AUTH_REJECTED.what':
    'رفض Exchange بيانات الاعتماد التي أرسلها Windows. عادةً يكون هذا الكمبيوتر غير منضم إلى مجال مؤسستك، أو أنك سجّلت الدخول إلى Windows بحساب محلي، أو أن حسابك مؤمَّن أو معطّل.',
  'outcome.AUTH_REJECTED.next':
    'سجّل الدخول إلى Windows بحساب العمل على كمبيوتر منضم إلى مجال مؤسستك، ثم اختر «إعادة المحاولة». إذا كان هذا هو الحال بالفعل، فاطلب من مسؤول تكنولوجيا المعلومات فحص حسابك.',
  'outcome.EXTENDED_PROTECTION_SUSPECTED.title': 'منعت الحماية الموسّعة في Exchange تسجيل الدخول',
  'outcome.EXTENDED_PROTECTION_SUSPECTED.what':
    'يتحقق Exchange من أن تسجيل الدخول عبر Windows تم لشهادته هو (الحماية الموسّعة). تستخدم خدمة تسجيل الدخول لدينا شهادة مختلفة، لذا رفضه Exchange.',
  'outcome.EXTENDED_PROTECTION_SUSPECTED.next':
    'اطلب من مسؤول Exchange تشغيل خدمة تسجيل الدخول بشهادة خادم Exchange، أو إيقاف الحماية الموسّعة على الدليل الظاهري EWS للواجهة الأمامية. {anotherWay}',
  'outcome.IDENTITY_MISMATCH.title': 'أنت مسجّل الدخول إلى Windows بهوية شخص آخر',
  'outcome.IDENTITY_MISMATCH.what': 'أثبت Windows صندوق البريد {proven}، لكن Outlook مفتوح لـ {claimed}.',
  'outcome.IDENTITY_MISMATCH.whatUnknown':
    'أثبت Windows صندوق بريد مستخدم آخر، لكن Outlook مفتوح لـ {claimed}.',
  'outcome.IDENTITY_MISMATCH.next':
    'سجّل الدخول إلى Windows بصفتك صاحب {claimed}، أو سجّل الدخول أدناه بكلمة مرور {claimed}.',
  'outcome.CAS_UNREACHABLE.title': 'يتعذّر الوصول إلى خادم Exchange',
  'outcome.CAS_UNREACHABLE.what': 'تعذّر على خدمة تسجيل الدخول الاتصال بخادم Exchange في مؤسستك.',
  'outcome.CAS_UNREACHABLE.next':
    'اطلب من مسؤول تكنولوجيا المعلومات فحص عنوان Exchange في ملف تعريف المصادقة، وDNS، وجدار الحماية بين خدمة تسجيل الدخول وExchange. ثم أعد المحاولة.',
  'outcome.CAS_TLS_UNTRUSTED.title': 'شهادة Exchange غير موثوق بها',
  'outcome.CAS_TLS_UNTRUSTED.what':
    'تعذّر على خدمة تسجيل الدخول التحقق من شهادة خادم Exchange، فتوقفت حفاظاً على أمانك.',
  'outcome.CAS_TLS_UNTRUSTED.next':
    'اطلب من مسؤول تكنولوجيا المعلومات إضافة المرجع المصدق الذي أصدر شهادة Exchange إلى ملف تعريف المصادقة، أو تجديد الشهادة.',
  'outcome.CAS_PROTOCOL_ERROR.title': 'أجاب Exchange بطريقة غير متوقعة',
  'outcome.CAS_PROTOCOL_ERROR.what':
    'وصلت خدمة تسجيل الدخول إلى Exchange، لكن الرد لم يكن مما ترسله خدمات ويب Exchange.',
  'outcome.CAS_PROTOCOL_ERROR.next':
    'اطلب من مسؤول تكنولوجيا المعلومات التحقق من أن عنوان URL الخاص بـ Exchange في ملف التعريف ينتهي بـ ‎/EWS/Exchange.asmx وأنه لا يوجد وكيل يعيد كتابته.',
  'outcome.PROFILE_NOT_FOUND.title': 'لم يُعدّ تسجيل الدخول لصندوق بريدك',
  'outcome.PROFILE_NOT_FOUND.what': 'لا يشمل أي ملف تعريف للمصادقة {mailbox}.',
  'outcome.PROFILE_NOT_FOUND.next':
    'اطلب من مسؤول تكنولوجيا المعلومات إنشاء ملف تعريف مصادقة افتراضي، أو ملف يشمل مجال بريدك الإلكتروني.',
  'outcome.METHOD_DISABLED.title': 'طريقة تسجيل الدخول هذه معطّلة لك',
  'outcome.METHOD_DISABLED.what': 'لم يمكّن المسؤول طريقة تسجيل الدخول هذه في ملف تعريف المصادقة الخاص بك.',
  'outcome.METHOD_DISABLED.next': 'اطلب من مسؤول تكنولوجيا المعلومات تمكينها، أو استخدم طريقة أخرى أدناه.',
  'outcome.RATE_LIMITED.title': 'محاولات تسجيل دخول كثيرة جداً',
  'outcome.RATE_LIMITED.what':
    'لحماية حسابك من القفل، أوقفت خدمة تسجيل الدخول المحاولات مؤقتاً لصندوق بريدك أو لهذا الكمبيوتر.',
  'outcome.RATE_LIMITED.next': 'انتظر بضع دقائق، ثم اختر «إعادة المحاولة» مرة واحدة فقط.',
  'outcome.HANDSHAKE_INVALID.title': 'انقطع تسجيل الدخول عبر Windows',
  'outcome.HANDSHAKE_INVALID.what':
    'لم يكتمل تبادل تسجيل الدخول بين Outlook وخدمتنا بالترتيب الصحيح. قد يسبب ذلك وكيلٌ أو موازن تحميل يخلط بين الاتصالات.',
  'outcome.HANDSHAKE_INVALID.next':
    'اختر «إعادة المحاولة» مرة واحدة. إذا تكرر ذلك، فاطلب من مسؤول تكنولوجيا المعلومات الوصول إلى خدمة تسجيل الدخول عبر HTTP/1.1 مع تقارب الاتصالات (دون وكيل يشارك الاتصالات).',
  'outcome.HANDSHAKE_CAPACITY.title': 'خدمة تسجيل الدخول مشغولة',
  'outcome.HANDSHAKE_CAPACITY.what': 'يحاول عدد كبير جداً من الأشخاص تسجيل الدخول في هذه اللحظة.',
  'outcome.HANDSHAKE_CAPACITY.next': 'انتظر دقيقة، ثم اختر «إعادة المحاولة».',
  'outcome.NEGOTIATE.title': 'لم يستمر تسجيل الدخول عبر Windows',
  'outcome.NEGOTIATE.what':
    'طلبت خدمة تسجيل الدخول من متصفحك متابعة تسجيل الدخول عبر Windows، لكنه لم يستجب.',
  'outcome.NEGOTIATE.next':
    'أعد المحاولة. إذا تكرر ذلك، فاطلب من مسؤول تكنولوجيا المعلومات التحقق من أن {site} موثوق به لمصادقة Windows.',
  'outcome.HANDSHAKE_ABANDONED.title': 'لم يكتمل تسجيل الدخول عبر Windows',
  'outcome.HANDSHAKE_ABANDONED.what':
    'أوقف متصفحك تسجيل الدخول عبر Windows قبل اكتماله، غالباً لأنه لم تكن لديه بيانات تسجيل دخول Windows لتقديمها.',
  'outcome.HANDSHAKE_ABANDONED.next': 'أعد المحاولة. إذا تكرر ذلك، فأبلغ مسؤول تكنولوجيا المعلومات.',
  'outcome.REQUEST_TOO_LARGE.title': 'بيانات تسجيل دخولك عبر Windows كبيرة جداً',
  'outcome.REQUEST_TOO_LARGE.what':
    'كانت بيانات تسجيل الدخول التي أرسلها Windows أكبر مما تقبله خدمة تسجيل الدخول. يحدث ذلك مع بطاقات Kerberos الكبيرة جداً (عضوية في مجموعات كثيرة).',
  'outcome.REQUEST_TOO_LARGE.next':
    'اطلب من مسؤول تكنولوجيا المعلومات رفع حد حجم الترويسات في خدمة تسجيل الدخول وفي أي وكيل أمامها.',
  'outcome.IDENTITY_TOKEN_INVALID.title': 'رُفض رمز الهوية من Outlook',
  'outcome.IDENTITY_TOKEN_INVALID.what': 'تعذّر على خدمة تسجيل الدخول التحقق من صحة رمز الهوية من Outlook.',
  'outcome.IDENTITY_TOKEN_INVALID.whatReason':
    'تعذّر على خدمة تسجيل الدخول التحقق من صحة رمز الهوية من Outlook (الفحص الذي فشل: {reason}).',
  'outcome.IDENTITY_TOKEN_INVALID.next':
    'استخدم طريقة أخرى لتسجيل الدخول. للمسؤولين: تحقق من أن ملف التعريف يثق بخادم Exchange وأن ساعات الخوادم متزامنة.',
  'outcome.IDENTITY_TOKEN_UNBOUND.title': 'سجّل الدخول أولاً مرة واحدة عبر Windows أو بكلمة المرور',
  'outcome.IDENTITY_TOKEN_UNBOUND.what':
    'رمز الهوية من Outlook غير مرتبط بصندوق بريدك بعد. يرتبط به في أول مرة تسجّل فيها الدخول عبر Windows أو بكلمة المرور.',
  'outcome.IDENTITY_TOKEN_UNBOUND.next':
    'سجّل الدخول مرة واحدة عبر Windows أو بكلمة المرور. بعد ذلك ستسجّل هذه الطريقة دخولك تلقائياً.',
  'outcome.SESSION_INVALID.title': 'انتهت جلستك',
  'outcome.SESSION_INVALID.what': 'انتهت صلاحية جلستك أو تم تسجيل الخروج منها.',
  'outcome.SESSION_INVALID.next': 'سجّل الدخول مرة أخرى.',
  'outcome.MAILBOX_INVALID.title': 'أعطى Outlook عنوان صندوق بريد غير صالح للاستخدام',
  'outcome.MAILBOX_INVALID.what': 'العنوان الذي أبلغ عنه Outlook لصندوق بريدك ليس عنوان بريد إلكتروني صالحاً.',
  'outcome.MAILBOX_INVALID.next':
    'أبلغ مسؤول تكنولوجيا المعلومات؛ فقد يكون ملف تعريف Outlook غير معدّ بشكل صحيح.',
  'outcome.INPUT_INVALID.title': 'لم يُقبل طلب تسجيل الدخول',
  'outcome.INPUT_INVALID.what': 'تعذّر على خدمة تسجيل الدخول استخدام ما أُرسل، مثل اسم مستخدم بتنسيق غير صحيح.',
  'outcome.INPUT_INVALID.next':
    'تحقق مما كتبته وأعد المحاولة. إذا استمرت المشكلة، فأبلغ مسؤول تكنولوجيا المعلومات.',
  'outcome.NOT_FOUND.title': 'لا تعرف خدمة تسجيل الدخول هذا الطلب',
  'outcome.NOT_FOUND.what':
    'لا توجد لدى خدمة تسجيل الدخول هذه الصفحة أو هذا الإدخال. قد يكون إصدارها أحدث أو أقدم من هذا الجزء.',
  'outcome.NOT_FOUND.next':
    'أغلق الجزء ثم افتحه من جديد. إذا استمرت المشكلة، فأبلغ مسؤول تكنولوجيا المعلومات.',
  'outcome.CONFLICT.title': 'خدمة تسجيل الدخول منشغلة بتطبيق تغيير',
  'outcome.CONFLICT.what': 'غيّر شخص ما الإعداد نفسه في اللحظة نفسها.',
  'outcome.CONFLICT.next': 'انتظر لحظة، ثم أعد المحاولة.',
  'outcome.ADMIN_UNAUTHORIZED.title': 'يتطلب هذا صلاحيات المسؤول',
  'outcome.ADMIN_UNAUTHORIZED.what': 'يتطلب هذا الطلب بيانات اعتماد المسؤول لخدمة تسجيل الدخول.',
  'outcome.ADMIN_UNAUTHORIZED.next':
    'لا شيء عليك فعله هنا. إذا ظهر لك هذا في الجزء، فأبلغ مسؤول تكنولوجيا المعلومات.',
  'outcome.DATABASE_UNAVAILABLE.title': 'يتعذّر على خدمة تسجيل الدخول الوصول إلى قاعدة بياناتها',
  'outcome.DATABASE_UNAVAILABLE.what': 'خدمة تسجيل الدخول تعمل، لكن قاعدة بياناتها غير متاحة حالياً.',
  'outcome.DATABASE_UNAVAILABLE.next':
    'أعد المحاولة بعد بضع دقائق. إذا استمرت المشكلة، فأبلغ مسؤول تكنولوجيا المعلومات.',
  'outcome.SCHEMA_TOO_NEW.title': 'تحتاج خدمة تسجيل الدخول إلى تحديث',
  'outcome.SCHEMA_TOO_NEW.what': 'أُنشئت قاعدة بيانات خدمة تسجيل الدخول بإصدار أحدث من الخدمة.',
  'outcome.SCHEMA_TOO_NEW.next':
    'أبلغ مسؤول تكنولوجيا المعلومات: يجب تحديث الخدمة لتتوافق مع قاعدة بياناتها.',
  'outcome.CONFIG_INVALID.title': 'خدمة تسجيل الدخول غير معدّة بشكل صحيح',
  'outcome.CONFIG_INVALID.what': 'أحد إعدادات خدمة تسجيل الدخول مفقود أو غير صحيح.',
  'outcome.CONFIG_INVALID.next': 'أبلغ مسؤول تكنولوجيا المعلومات؛ يجب تصحيح إعدادات الخدمة.',
  'outcome.REQUEST_TIMEOUT.title': 'استغرق الطلب وقتًا طويلاً',
  'outcome.REQUEST_TIMEOUT.what': 'أرسل جهازك الطلب ببطء شديد، فتوقفت خدمة تسجيل الدخول عن الانتظار.',
  'outcome.REQUEST_TIMEOUT.next': 'حاول مرة أخرى. إذا تكرر ذلك، فأبلغ مسؤول تقنية المعلومات.',
  'outcome.TLS_CERT_REQUIRED.title': 'خدمة تسجيل الدخول بلا شهادة',
  'outcome.TLS_CERT_REQUIRED.what': 'بدأ تشغيل الخدمة من دون شهادة HTTPS الخاصة بها.',
  'outcome.TLS_CERT_REQUIRED.next': 'أبلغ مسؤول تقنية المعلومات؛ تحتاج الخدمة إلى شهادتها لتعمل.',
  'outcome.AUDIENCE_UNKNOWN.title': 'هذا التطبيق غير مسجَّل لتسجيل الدخول',
  'outcome.AUDIENCE_UNKNOWN.what': 'طلب أحد التطبيقات إثبات تسجيل دخول لا تعرفه خدمة تسجيل الدخول.',
  'outcome.AUDIENCE_UNKNOWN.next': 'أبلغ مسؤول تقنية المعلومات؛ يجب تسجيل التطبيق لدى خدمة تسجيل الدخول.',
  'outcome.CLIENT_UNAUTHORIZED.title': 'تعذّر على أحد التطبيقات التحقق من تسجيل دخولك',
  'outcome.CLIENT_UNAUTHORIZED.what':
    'رُفضت بيانات الاعتماد التي يستخدمها أحد التطبيقات للتحقق من عمليات تسجيل الدخول.',
  'outcome.CLIENT_UNAUTHORIZED.next': 'أبلغ مسؤول تقنية المعلومات؛ يجب تجديد بيانات اعتماد التطبيق.',
  'outcome.KEY_ENCRYPTION_KEY_MISSING.title': 'تسجيل الدخول إلى التطبيقات الأخرى متوقف',
  'outcome.KEY_ENCRYPTION_KEY_MISSING.what':
    'لا تملك خدمة تسجيل الدخول مفتاحًا لتوقيع إثباتات التطبيقات الأخرى.',
  'outcome.KEY_ENCRYPTION_KEY_MISSING.next':
    'أبلغ مسؤول تقنية المعلومات؛ تحتاج الخدمة إلى مفتاح تشفير المفاتيح الخاص بها.',
  'outcome.KEY_ENCRYPTION_KEY_INVALID.title': 'تسجيل الدخول إلى التطبيقات الأخرى لا يعمل',
  'outcome.KEY_ENCRYPTION_KEY_INVALID.what':
    'لا تستطيع خدمة تسجيل الدخول استخدام المفتاح الذي توقّع به إثباتات التطبيقات الأخرى.',
  'outcome.KEY_ENCRYPTION_KEY_INVALID.next': 'أبلغ مسؤول تقنية المعلومات؛ يجب إصلاح ملف مفتاح الخدمة.',
  'outcome.INTERNAL.title': 'واجهت خدمة تسجيل الدخول مشكلة',
  'outcome.INTERNAL.what': 'حدث خطأ غير متوقع داخل خدمة تسجيل الدخول.',
  'outcome.INTERNAL.next':
    'أعد المحاولة لاحقاً. إذا استمرت المشكلة، فأبلغ مسؤول تكنولوجيا المعلومات بوقت حدوثها.',
  'outcome.BROWSER_NO_CREDENTIALS.title': 'لم يرسل Windows بيانات تسجيل دخولك',
  'outcome.BROWSER_NO_CREDENTIALS.what':
    'طُلب من متصفح Outlook تقديم بيانات تسجيل دخولك إلى Windows لكنه لم يقدّمها. لا تفعل المتصفحات ذلك إلا للمواقع الموثوق بها لمصادقة Windows، و{site} ليس منها بعد.',
  'outcome.BROWSER_NO_CREDENTIALS.next':
    'اطلب من مسؤول تكنولوجيا المعلومات إضافة {site} إلى منطقة «إنترانت المحلية» (نهج المجموعة «قائمة تعيين المواقع إلى المناطق») وإلى النهج AuthServerAllowlist في Microsoft Edge WebView2، ثم أعد تشغيل Outlook.',
  'outcome.NETWORK_FAILURE.title': 'لا يوجد اتصال بخدمة تسجيل الدخول',
  'outcome.NETWORK_FAILURE.what': 'تعذّر على Outlook الوصول إلى خدمة تسجيل الدخول على {site}.',
  'outcome.NETWORK_FAILURE.next':
    'تأكد من اتصالك بشبكة مؤسستك أو بالشبكة الخاصة الظاهرية (VPN)، ثم اختر «إعادة المحاولة». إذا واجه زملاؤك المشكلة نفسها، فأبلغ مسؤول تكنولوجيا المعلومات.',
  'outcome.UNEXPECTED_RESPONSE.title': 'أجابت خدمة تسجيل الدخول بطريقة غير متوقعة',
  'outcome.UNEXPECTED_RESPONSE.what': 'تعذّرت قراءة الرد. ربما غيّره وكيل بين Outlook والخدمة.',
  'outcome.UNEXPECTED_RESPONSE.whatHttp':
    'تعذّرت قراءة الرد (HTTP {status}). ربما غيّره وكيل بين Outlook والخدمة.',
  'outcome.UNEXPECTED_RESPONSE.next':
    'أعد المحاولة لاحقاً. إذا استمرت المشكلة، فأبلغ مسؤول تكنولوجيا المعلومات.',
  'outcome.OFFICE_365.title': 'لا يمكن لصناديق بريد Office 365 استخدام تسجيل الدخول عبر Windows',
  'outcome.OFFICE_365.what':
    '{mailbox} موجود في Office 365 (Exchange Online). لا يعمل تسجيل الدخول عبر Windows هنا إلا مع خوادم Exchange الخاصة بمؤسستك.',
  'outcome.OFFICE_365.next': 'استخدم طريقة تسجيل دخول أخرى أدناه إذا مكّنها المسؤول.',
  'outcome.CONSUMER_ACCOUNT.title': 'هذا ليس صندوق بريد للعمل',
  'outcome.CONSUMER_ACCOUNT.what':
    '{mailbox} حساب شخصي على Outlook.com أو Gmail. طرق تسجيل الدخول هذه مخصصة لصندوق بريد Exchange في مؤسستك.',
  'outcome.CONSUMER_ACCOUNT.next': 'افتح Outlook بصندوق بريد العمل وأعد المحاولة.',
  'outcome.HOST_TOKEN_UNAVAILABLE.title': 'لم يوفّر Outlook رمز هوية',
  'outcome.HOST_TOKEN_UNAVAILABLE.what':
    'لم يُصدر هذا الإصدار من Outlook، أو خادم Exchange لديك، رمز هوية Exchange.',
  'outcome.HOST_TOKEN_UNAVAILABLE.next':
    'استخدم تسجيل الدخول عبر Windows أو كلمة المرور بدلاً من ذلك. للمسؤولين: تتطلب رموز الهوية Exchange 2013 أو إصداراً أحدث.',
} as const satisfies Catalogue;

export default ar;
