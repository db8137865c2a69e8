import type { Catalogue } from './en.ts';

/** 日本語。です・ます調。Windows と Exchange の日本語版 UI の用語に合わせています。 */
const ja = {
  'product.name': 'Outlook IWA',
  'document.title': '{view} – {product}',

  'status.starting': 'Outlook IWA にサインインしています…',
  'status.signedIn': '{mailbox} としてサインインしました。',
  'status.failed': 'サインインできませんでした。現在サインインしていません。',
  'status.signedOut': 'Outlook IWA からサインアウトしました。',

  'startup.heading': 'サインイン',
  'startup.step.office': 'Outlook に接続しています…',
  'startup.step.session': 'セッションを確認しています…',
  'startup.step.methods': 'サインイン方法を確認しています…',
  'startup.step.iwa': 'Windows アカウントでサインインしています…',
  'startup.step.identityToken': 'Outlook の ID トークンでサインインしています…',
  'startup.step.password': 'パスワードでサインインしています…',

  'notification.failed':
    'Outlook IWA でサインインできませんでした。Outlook IWA ウィンドウを開いて解決してください。',
  'notification.action': 'サインインを修正',

  'host.title': 'Outlook で開く',
  'host.heading': 'Outlook から開いてください',
  'host.notLoaded': 'Outlook のアドイン ライブラリをサインイン サービスから読み込めませんでした。',
  'host.notInOutlook': 'このページは Outlook IWA アドインです。Outlook の中でのみ動作します。',
  'host.next':
    'Outlook でメールを開き、リボンの [Outlook IWA] を選んでください。Outlook の中でもこの表示が続く場合は、IT 管理者に連絡してください。',

  'settings.heading': '認証の設定',
  'settings.notSignedIn': 'サインインしていません。',
  'settings.failureTitle': '{title}。',
  'settings.fixSignIn': 'サインインを修正',
  'settings.signedOut': 'サインアウトしました。',
  'settings.signIn': 'サインイン',
  'settings.signingIn': 'サインインしています…',
  'settings.session': 'セッション',
  'settings.signedInAs': 'サインイン中のアカウント',
  'settings.method': '方法',
  'settings.mechanism': '認証方式',
  'settings.expires': 'セッションの有効期限',
  'settings.signOut': 'サインアウト',
  'settings.methods': 'サインイン方法',
  'settings.help': 'サインインのヘルプ',

  'mechanism.kerberos': 'Kerberos',
  'mechanism.ntlm': 'NTLM',

  'card.status': '状態:',
  'card.badge.active': '使用中',
  'card.badge.available': '利用可能',
  'card.badge.notEnabled': '管理者が有効にしていません',
  'card.badge.notPossible': 'この環境では使用不可',
  'card.badge.failed': '失敗',
  'card.notEnabled': '管理者がこのメールボックスに対してこの方法を有効にしていません。',
  'card.fixLabel': '{method} を{action}',
  'card.checksFor': '{method} のチェック',
  'card.runningChecks': 'チェックしています…',
  'card.retrying': 'もう一度サインインしています…',
  'card.fixed': '修正しました。サインインしています。',
  'card.checkFailed':
    'チェックで問題が見つかりました。「対処方法」に従ってから、もう一度 [{action}] を選んでください。',

  'method.iwa.title': 'Windows サインイン (IWA)',
  'method.iwa.summary': 'パスワードなしで、Windows アカウントでサインインします。',
  'method.iwa.fix': '修正',
  'method.identityToken.title': 'Exchange ID トークン',
  'method.identityToken.summary':
    '一度ほかの方法でサインインすると、以後は Outlook のトークンで自動的にサインインします。',
  'method.identityToken.fix': '修正',
  'method.password.title': 'ドメイン パスワード',
  'method.password.summary': 'Windows のパスワードを一度入力します。Exchange が確認し、保存はされません。',
  'method.password.fix': 'パスワードでサインイン',
  'method.office365.iwa':
    'メールボックスは Office 365 (Exchange Online) にあります。Windows サインインは組織独自の Exchange サーバーでのみ使用できます。',
  'method.office365.identityToken':
    'メールボックスは Office 365 (Exchange Online) にあります。Exchange ID トークンは組織独自の Exchange サーバーでのみ使用できます。',
  'method.office365.password':
    'メールボックスは Office 365 (Exchange Online) にあります。ドメイン パスワードでのサインインは組織独自の Exchange サーバーでのみ使用できます。',
  'method.consumer':
    'これは個人用アカウント (Outlook.com または Gmail) で、職場のメールボックスではありません。',

  'step.passed': '{name}: 合格',
  'step.failed': '{name}: 不合格',
  'step.warned': '{name}: 合格（警告あり）',
  'step.remedy': '対処方法: {remedy}',
  'step.profile': 'サインイン プロファイル',
  'step.dns': 'Exchange サーバー名 (DNS)',
  'step.tcp': 'Exchange への接続',
  'step.tls': 'Exchange の証明書 (TLS)',
  'step.negotiate': 'Exchange が提供する Windows 認証',
  'step.extendedProtection': '拡張保護',
  'step.token.name': 'Outlook が ID トークンを提供する',
  'step.token.ok': 'Outlook がトークンを提供しました。',
  'step.token.missing': 'Outlook が ID トークンを提供しませんでした。',
  'step.token.remedy': '代わりに Windows サインインかパスワードを使ってください。',

  'outcome.whatHappened': '発生したこと',
  'outcome.whoCanFix': '解決できる人',
  'outcome.nextStep': '次の手順',
  'fixer.you': 'あなた',
  'fixer.admin': 'IT 管理者',
  'fixer.youThenAdmin': 'まずあなた。解決しない場合は IT 管理者',
  'fixer.nobody': 'なし (メールボックスの構成によるものです)',

  'password.formLabel': 'ドメイン パスワードでサインイン',
  'password.username': 'Windows ユーザー名',
  'password.usernameHint': '例: CORP\\alice または alice@corp.test',
  'password.password': 'パスワード',
  'password.show': 'パスワードを表示',
  'password.submit': 'サインイン',
  'password.signingIn': 'サインインしています…',
  'password.enterUsername': 'Windows ユーザー名を入力してください。',
  'password.enterPassword': 'パスワードを入力してください。',
  'password.wrong': 'ユーザー名またはパスワードが正しくありません。',
  'password.mismatch': '{what} {mailbox} のアカウントを使ってください。',
  'password.badUsername': 'Windows ユーザー名を入力してください (例: CORP\\alice または alice@corp.test)。',
  'password.formError': '{title}。{next}',

  'wizard.title': 'サインインのヘルプ',
  'wizard.heading': 'サインインのヘルプ',
  'wizard.opening': 'サインインのヘルプを開いています…',
  'wizard.step1': '1. 環境',
  'wizard.setupChecks': '環境のチェック',
  'wizard.checkingSetup': '環境をチェックしています…',
  'wizard.step2': '2. Windows サインイン',
  'wizard.iwaTrying': 'Windows アカウントでサインインしています…',
  'wizard.iwaProgress': 'Windows アカウントでサインインしています',
  'wizard.iwaSkipped': '試していません: この環境では使用できません (下記を参照)。',
  'wizard.iwaWorked': 'Windows サインインに成功しました。',
  'wizard.iwaFailed': 'Windows サインインに失敗しました。',
  'wizard.tryAgain': '再試行',
  'wizard.step3': '3. 発生したこと',
  'wizard.step4': '4. ほかのサインイン方法',
  'wizard.noAlternatives':
    'このメールボックスでは、ほかのサインイン方法が有効になっていません。管理者に有効にしてもらえます。',
  'wizard.identityTokenButton': 'Outlook の ID トークンでサインイン',
  'wizard.signingIn': 'サインインしています…',
  'wizard.done': '完了',
  'wizard.signedIn': '{method} で {mailbox} としてサインインしました。',
  'wizard.close': '閉じる',
  'wizard.back': '認証の設定に戻る',
  'wizard.setup.mailbox': 'Outlook のメールボックス',
  'wizard.setup.where': 'メールボックスの場所',
  'wizard.setup.onPremises': 'メールボックスは組織独自の Exchange サーバーにあります。',
  'wizard.setup.office365':
    'メールボックスは Office 365 (Exchange Online) にあります。Windows サインインはサポートされていません。',
  'wizard.setup.consumer': 'これは Outlook.com または Gmail の個人用アカウントです。',
  'wizard.setup.unknown':
    'Outlook がメールボックスの場所を示しませんでした。組織独自の Exchange サーバーにあるものとみなします。',
  'wizard.setup.profile': 'サインイン プロファイル',
  'wizard.setup.profileFailed': 'サインイン サービスは、あなたが使える方法を判断できませんでした。',
  'wizard.setup.profileFound': '見つかりました',
  'wizard.setup.iwaEnabled': '管理者による Windows サインインの有効化',
  'wizard.setup.yes': 'はい',
  'wizard.setup.no': 'いいえ',

  'outcome.anotherWay': 'それまでは、下にほかの方法があればそちらでサインインしてください。',
  'outcome.generic.title': '問題が発生しました',
  'outcome.generic.what': 'サインイン サービスが問題を報告しました (コード {code})。',
  'outcome.generic.whatHttp': 'サインイン サービスが問題を報告しました (コード {code}、HTTP {status})。',
  'outcome.generic.next':
    'しばらくしてからもう一度お試しください。繰り返し発生する場合は、IT 管理者にコード {code} を伝えてください。',

  'outcome.CAS_NO_NEGOTIATE.title': 'Exchange が Windows サインインを提供していません',
  'outcome.CAS_NO_NEGOTIATE.what':
    '組織の Exchange サーバーで、Exchange Web サービスの Windows 認証が無効になっています。',
  'outcome.CAS_NO_NEGOTIATE.whatOffered':
    '組織の Exchange サーバーで、Exchange Web サービスの Windows 認証が無効になっています (提供されているのは {offered} のみです)。',
  'outcome.CAS_NO_NEGOTIATE.next':
    'IIS の EWS 仮想ディレクトリで Windows 認証 (Negotiate) を有効にするよう、Exchange 管理者に依頼してください。{anotherWay}',
  'outcome.AUTH_REJECTED.title': 'Exchange が Windows サインインを受け付けませんでした',
  'outcome.AUTH_REJECTED.what':
    'Windows が送った資格情報を Exchange が拒否しました。多くの場合、この PC が組織のドメインに参加していない、ローカル アカウントで Windows にサインインしている、またはアカウントがロックか無効になっていることが原因です。',
  'outcome.AUTH_REJECTED.next':
    '組織のドメインに参加している PC で、職場のアカウントで Windows にサインインしてから [再試行] を選んでください。すでにそうなっている場合は、IT 管理者にアカウントの確認を依頼してください。',
  'outcome.EXTENDED_PROTECTION_SUSPECTED.title': 'Exchange の拡張保護によってサインインがブロックされました',
  'outcome.EXTENDED_PROTECTION_SUSPECTED.what':
    'Exchange は、Windows サインインが自身の証明書に対して行われたかを確認します (拡張保護)。このサインイン サービスは別の証明書を使っているため、Exchange が拒否しました。',
  'outcome.EXTENDED_PROTECTION_SUSPECTED.next':
    'サインイン サービスに Exchange サーバーの証明書を使うか、EWS フロントエンド仮想ディレクトリの拡張保護を無効にするよう、Exchange 管理者に依頼してください。{anotherWay}',
  'outcome.IDENTITY_MISMATCH.title': '別のユーザーとして Windows にサインインしています',
  'outcome.IDENTITY_MISMATCH.what':
    'Windows が証明したのはメールボックス {proven} ですが、Outlook は {claimed} で開かれています。',
  'outcome.IDENTITY_MISMATCH.whatUnknown':
    'Windows が証明したのは別のユーザーのメールボックスですが、Outlook は {claimed} で開かれています。',
  'outcome.IDENTITY_MISMATCH.next':
    '{claimed} の所有者として Windows にサインインするか、下で {claimed} のパスワードを使ってサインインしてください。',
  'outcome.CAS_UNREACHABLE.title': 'Exchange サーバーに接続できません',
  'outcome.CAS_UNREACHABLE.what': 'サインイン サービスが組織の Exchange サーバーに接続できませんでした。',
  'outcome.CAS_UNREACHABLE.next':
    '認証プロファイルの Exchange のアドレス、DNS、サインイン サービスと Exchange の間のファイアウォールを確認するよう IT 管理者に依頼し、その後もう一度お試しください。',
  'outcome.CAS_TLS_UNTRUSTED.title': 'Exchange の証明書が信頼されていません',
  'outcome.CAS_TLS_UNTRUSTED.what':
    'サインイン サービスが Exchange サーバーの証明書を検証できなかったため、安全のために処理を中止しました。',
  'outcome.CAS_TLS_UNTRUSTED.next':
    'Exchange の証明書を発行した証明機関を認証プロファイルに追加するか、証明書を更新するよう、IT 管理者に依頼してください。',
  'outcome.CAS_PROTOCOL_ERROR.title': 'Exchange から予期しない応答がありました',
  'outcome.CAS_PROTOCOL_ERROR.what':
    'サインイン サービスは Exchange に接続できましたが、応答が Exchange Web サービスのものではありませんでした。',
  'outcome.CAS_PROTOCOL_ERROR.next':
    'プロファイルの Exchange の URL が /EWS/Exchange.asmx で終わっていること、およびプロキシが URL を書き換えていないことを確認するよう、IT 管理者に依頼してください。',
  'outcome.PROFILE_NOT_FOUND.title': 'このメールボックスではサインインが設定されていません',
  'outcome.PROFILE_NOT_FOUND.what': '{mailbox} を対象とする認証プロファイルがありません。',
  'outcome.PROFILE_NOT_FOUND.next':
    '既定の認証プロファイル、またはあなたのメール ドメインを含むプロファイルを作成するよう、IT 管理者に依頼してください。',
  'outcome.METHOD_DISABLED.title': 'このサインイン方法は無効になっています',
  'outcome.METHOD_DISABLED.what':
    '管理者が、あなたの認証プロファイルでこのサインイン方法を有効にしていません。',
  'outcome.METHOD_DISABLED.next': 'IT 管理者に有効化を依頼するか、下のほかの方法を使ってください。',
  'outcome.RATE_LIMITED.title': 'サインインの試行が多すぎます',
  'outcome.RATE_LIMITED.what':
    'アカウントのロックを防ぐため、サインイン サービスがこのメールボックスまたはこのコンピューターからの試行を一時停止しています。',
  'outcome.RATE_LIMITED.next': '数分待ってから、[再試行] を一度だけ選んでください。',
  'outcome.HANDSHAKE_INVALID.title': 'Windows サインインが中断されました',
  'outcome.HANDSHAKE_INVALID.what':
    'Outlook とサインイン サービスの間のやり取りが正しい順序で完了しませんでした。接続を混在させるプロキシやロード バランサーが原因の可能性があります。',
  'outcome.HANDSHAKE_INVALID.next':
    '[再試行] を一度選んでください。再び発生する場合は、接続アフィニティのある HTTP/1.1 でサインイン サービスに接続できるようにする (接続を共有するプロキシを使わない) よう、IT 管理者に依頼してください。',
  'outcome.HANDSHAKE_CAPACITY.title': 'サインイン サービスが混み合っています',
  'outcome.HANDSHAKE_CAPACITY.what': '現在、サインインしようとしている人が多すぎます。',
  'outcome.HANDSHAKE_CAPACITY.next': '1 分ほど待ってから [再試行] を選んでください。',
  'outcome.NEGOTIATE.title': 'Windows サインインが続行されませんでした',
  'outcome.NEGOTIATE.what':
    'サインイン サービスがブラウザーに Windows サインインの続行を求めましたが、応答がありませんでした。',
  'outcome.NEGOTIATE.next':
    'もう一度お試しください。繰り返し発生する場合は、{site} が Windows 認証用に信頼されているか確認するよう IT 管理者に依頼してください。',
  'outcome.HANDSHAKE_ABANDONED.title': 'Windows サインインが完了しませんでした',
  'outcome.HANDSHAKE_ABANDONED.what':
    'ブラウザーが Windows サインインを途中で止めました。通常は、送信できる Windows サインイン情報がなかったためです。',
  'outcome.HANDSHAKE_ABANDONED.next':
    'もう一度お試しください。繰り返し発生する場合は、IT 管理者に連絡してください。',
  'outcome.REQUEST_TOO_LARGE.title': 'Windows サインインのデータが大きすぎます',
  'outcome.REQUEST_TOO_LARGE.what':
    'Windows が送ったサインイン データが、サインイン サービスの受け付ける上限を超えていました。非常に大きな Kerberos チケット (多数のグループ メンバーシップ) が原因です。',
  'outcome.REQUEST_TOO_LARGE.next':
    'サインイン サービスとその前段にあるプロキシのヘッダー サイズの上限を引き上げるよう、IT 管理者に依頼してください。',
  'outcome.IDENTITY_TOKEN_INVALID.title': 'Outlook の ID トークンが拒否されました',
  'outcome.IDENTITY_TOKEN_INVALID.what':
    'サインイン サービスが Outlook の ID トークンを検証できませんでした。',
  'outcome.IDENTITY_TOKEN_INVALID.whatReason':
    'サインイン サービスが Outlook の ID トークンを検証できませんでした (失敗したチェック: {reason})。',
  'outcome.IDENTITY_TOKEN_INVALID.next':
    'ほかのサインイン方法を使ってください。管理者の方へ: プロファイルが Exchange サーバーを信頼していること、サーバーの時刻が同期していることを確認してください。',
  'outcome.IDENTITY_TOKEN_UNBOUND.title': '最初に一度 Windows かパスワードでサインインしてください',
  'outcome.IDENTITY_TOKEN_UNBOUND.what':
    'Outlook の ID トークンはまだメールボックスに関連付けられていません。Windows サインインまたはパスワードで初めてサインインしたときに関連付けられます。',
  'outcome.IDENTITY_TOKEN_UNBOUND.next':
    'Windows サインインかパスワードで一度サインインしてください。以後は、この方法で自動的にサインインします。',
  'outcome.SESSION_INVALID.title': 'セッションが終了しました',
  'outcome.SESSION_INVALID.what': 'セッションの有効期限が切れたか、サインアウトされました。',
  'outcome.SESSION_INVALID.next': 'もう一度サインインしてください。',
  'outcome.MAILBOX_INVALID.title': 'Outlook から使用できないメールボックス アドレスが渡されました',
  'outcome.MAILBOX_INVALID.what':
    'Outlook が報告したメールボックスのアドレスは、有効なメール アドレスではありません。',
  'outcome.MAILBOX_INVALID.next':
    'IT 管理者に連絡してください。Outlook のプロファイルの設定が正しくない可能性があります。',
  'outcome.INPUT_INVALID.title': 'サインイン要求が受け付けられませんでした',
  'outcome.INPUT_INVALID.what':
    '送信された内容 (形式の正しくないユーザー名など) をサインイン サービスが使用できませんでした。',
  'outcome.INPUT_INVALID.next':
    '入力内容を確認して、もう一度お試しください。繰り返し発生する場合は、IT 管理者に連絡してください。',
  'outcome.NOT_FOUND.title': 'サインイン サービスがこの要求を認識できません',
  'outcome.NOT_FOUND.what':
    'サインイン サービスに該当するページまたはエントリがありません。このウィンドウとサービスのバージョンが異なる可能性があります。',
  'outcome.NOT_FOUND.next':
    'ウィンドウを閉じて開き直してください。繰り返し発生する場合は、IT 管理者に連絡してください。',
  'outcome.CONFLICT.title': 'サインイン サービスが変更を処理中です',
  'outcome.CONFLICT.what': '同じ設定が同時に変更されました。',
  'outcome.CONFLICT.next': '少し待ってから、もう一度お試しください。',
  'outcome.ADMIN_UNAUTHORIZED.title': '管理者の権限が必要です',
  'outcome.ADMIN_UNAUTHORIZED.what': 'この要求には、サインイン サービスの管理者資格情報が必要です。',
  'outcome.ADMIN_UNAUTHORIZED.next':
    'ここであなたが行うことはありません。このウィンドウでこの表示が出た場合は、IT 管理者に連絡してください。',
  'outcome.DATABASE_UNAVAILABLE.title': 'サインイン サービスがデータベースに接続できません',
  'outcome.DATABASE_UNAVAILABLE.what':
    'サインイン サービスは動作していますが、現在データベースを利用できません。',
  'outcome.DATABASE_UNAVAILABLE.next':
    '数分後にもう一度お試しください。繰り返し発生する場合は、IT 管理者に連絡してください。',
  'outcome.SCHEMA_TOO_NEW.title': 'サインイン サービスの更新が必要です',
  'outcome.SCHEMA_TOO_NEW.what':
    'サインイン サービスのデータベースは、より新しいバージョンのサービスで作成されています。',
  'outcome.SCHEMA_TOO_NEW.next':
    'IT 管理者に連絡してください。データベースに合わせてサービスを更新する必要があります。',
  'outcome.CONFIG_INVALID.title': 'サインイン サービスが正しく設定されていません',
  'outcome.CONFIG_INVALID.what': 'サインイン サービスの設定が不足しているか、誤っています。',
  'outcome.CONFIG_INVALID.next': 'IT 管理者に連絡してください。サービスの設定を修正する必要があります。',
  'outcome.REQUEST_TIMEOUT.title': '要求に時間がかかりすぎました',
  'outcome.REQUEST_TIMEOUT.what':
    'お使いのコンピューターからの要求が遅すぎたため、サインイン サービスが待機を終了しました。',
  'outcome.REQUEST_TIMEOUT.next':
    'もう一度お試しください。繰り返し発生する場合は、IT 管理者に連絡してください。',
  'outcome.TLS_CERT_REQUIRED.title': 'サインイン サービスに証明書がありません',
  'outcome.TLS_CERT_REQUIRED.what': 'サービスが HTTPS 証明書なしで起動されました。',
  'outcome.TLS_CERT_REQUIRED.next': 'IT 管理者に連絡してください。サービスの実行には証明書が必要です。',
  'outcome.AUDIENCE_UNKNOWN.title': 'このアプリはサインイン用に登録されていません',
  'outcome.AUDIENCE_UNKNOWN.what':
    'サインイン サービスが認識していないアプリのためのサインイン証明が要求されました。',
  'outcome.AUDIENCE_UNKNOWN.next':
    'IT 管理者に連絡してください。アプリをサインイン サービスに登録する必要があります。',
  'outcome.CLIENT_UNAUTHORIZED.title': 'アプリがサインインを確認できませんでした',
  'outcome.CLIENT_UNAUTHORIZED.what': 'アプリがサインインの確認に使う資格情報が拒否されました。',
  'outcome.CLIENT_UNAUTHORIZED.next':
    'IT 管理者に連絡してください。アプリの資格情報を更新する必要があります。',
  'outcome.KEY_ENCRYPTION_KEY_MISSING.title': '他のアプリへのサインインは無効になっています',
  'outcome.KEY_ENCRYPTION_KEY_MISSING.what':
    'サインイン サービスには、他のアプリ向けの証明に署名するための鍵がありません。',
  'outcome.KEY_ENCRYPTION_KEY_MISSING.next':
    'IT 管理者に連絡してください。サービスには鍵暗号化キーが必要です。',
  'outcome.KEY_ENCRYPTION_KEY_INVALID.title': '他のアプリへのサインインが機能していません',
  'outcome.KEY_ENCRYPTION_KEY_INVALID.what':
    'サインイン サービスは、他のアプリ向けの証明に署名する鍵を使用できません。',
  'outcome.KEY_ENCRYPTION_KEY_INVALID.next':
    'IT 管理者に連絡してください。サービスの鍵ファイルを修正する必要があります。',
  'outcome.INTERNAL.title': 'サインイン サービスで問題が発生しました',
  'outcome.INTERNAL.what': 'サインイン サービスの内部で予期しないエラーが発生しました。',
  'outcome.INTERNAL.next':
    'しばらくしてからもう一度お試しください。繰り返し発生する場合は、発生した時刻を IT 管理者に伝えてください。',
  'outcome.BROWSER_NO_CREDENTIALS.title': 'Windows がサインイン情報を送信しませんでした',
  'outcome.BROWSER_NO_CREDENTIALS.what':
    'Outlook のブラウザーに Windows のサインイン情報が求められましたが、送信されませんでした。ブラウザーが送信するのは Windows 認証用に信頼されたサイトに対してだけで、{site} はまだ信頼されていません。',
  'outcome.BROWSER_NO_CREDENTIALS.next':
    '{site} をローカル イントラネット ゾーン (グループ ポリシー「サイトとゾーンの割り当て一覧」) と、Microsoft Edge WebView2 の AuthServerAllowlist ポリシーに追加するよう IT 管理者に依頼し、その後 Outlook を再起動してください。',
  'outcome.NETWORK_FAILURE.title': 'サインイン サービスに接続できません',
  'outcome.NETWORK_FAILURE.what': 'Outlook が {site} のサインイン サービスに接続できませんでした。',
  'outcome.NETWORK_FAILURE.next':
    '組織のネットワークまたは VPN に接続していることを確認し、[再試行] を選んでください。同僚も同じ問題に遭遇している場合は、IT 管理者に連絡してください。',
  'outcome.UNEXPECTED_RESPONSE.title': 'サインイン サービスから予期しない応答がありました',
  'outcome.UNEXPECTED_RESPONSE.what':
    '応答を読み取れませんでした。Outlook とサービスの間にあるプロキシが応答を変更した可能性があります。',
  'outcome.UNEXPECTED_RESPONSE.whatHttp':
    '応答を読み取れませんでした (HTTP {status})。Outlook とサービスの間にあるプロキシが応答を変更した可能性があります。',
  'outcome.UNEXPECTED_RESPONSE.next':
    'しばらくしてからもう一度お試しください。繰り返し発生する場合は、IT 管理者に連絡してください。',
  'outcome.OFFICE_365.title': 'Office 365 のメールボックスでは Windows サインインを使用できません',
  'outcome.OFFICE_365.what':
    '{mailbox} は Office 365 (Exchange Online) にあります。ここでの Windows サインインは、組織独自の Exchange サーバーでのみ使用できます。',
  'outcome.OFFICE_365.next':
    '管理者がほかのサインイン方法を有効にしている場合は、下からそれを使ってください。',
  'outcome.CONSUMER_ACCOUNT.title': '職場のメールボックスではありません',
  'outcome.CONSUMER_ACCOUNT.what':
    '{mailbox} は Outlook.com または Gmail の個人用アカウントです。これらのサインイン方法は、組織の Exchange メールボックス用です。',
  'outcome.CONSUMER_ACCOUNT.next': '職場のメールボックスで Outlook を開いてから、もう一度お試しください。',
  'outcome.HOST_TOKEN_UNAVAILABLE.title': 'Outlook が ID トークンを提供しませんでした',
  'outcome.HOST_TOKEN_UNAVAILABLE.what':
    'このバージョンの Outlook、または Exchange サーバーが Exchange ID トークンを発行しませんでした。',
  'outcome.HOST_TOKEN_UNAVAILABLE.next':
    '代わりに Windows サインインかパスワードを使ってください。管理者の方へ: ID トークンには Exchange 2013 以降が必要です。',
} as const satisfies Catalogue;

export default ja;
