/**
 * The manifest's words in every locale the pane ships (`src/addin/i18n/locales.ts`), as
 * `<Override Locale Value>` children of `DisplayName`, `Description` and the ribbon's
 * `bt:String`s (https://learn.microsoft.com/javascript/api/manifest/override, "Override element
 * for LocaleToken"; https://learn.microsoft.com/office/dev/add-ins/develop/localization). English
 * is the manifest's `DefaultValue`. `Locale` is a BCP 47 culture name; Office matches it against
 * its UI language, so each language is given its main culture.
 */
export interface ManifestText {
  readonly displayName: string;
  readonly description: string;
  readonly groupLabel: string;
  readonly buttonLabel: string;
  readonly buttonTitle: string;
  readonly buttonTooltip: string;
}

/** Overrides in the order they are written. The product name is a brand and stays as it is. */
export const MANIFEST_OVERRIDES: readonly (readonly [locale: string, text: ManifestText])[] = [
  [
    'de-DE',
    {
      displayName: 'Outlook IWA',
      description:
        'Kennwortfreie Anmeldung für Outlook mit lokalem Exchange: weist Ihre Windows-Anmeldung gegenüber Ihrem eigenen Exchange-Server nach.',
      groupLabel: 'Outlook IWA',
      buttonLabel: 'Anmeldung',
      buttonTitle: 'Outlook IWA-Anmeldung',
      buttonTooltip:
        'Öffnet den Outlook IWA-Bereich: Melden Sie sich mit Ihrer Windows-Anmeldung an und sehen Sie den Status jeder Anmeldemethode.',
    },
  ],
  [
    'fr-FR',
    {
      displayName: 'Outlook IWA',
      description:
        'Connexion sans mot de passe pour Outlook avec Exchange sur site\u00a0: prouve votre session Windows auprès de votre propre serveur Exchange.',
      groupLabel: 'Outlook IWA',
      buttonLabel: 'Connexion',
      buttonTitle: 'Connexion Outlook IWA',
      buttonTooltip:
        'Ouvre le volet Outlook IWA\u00a0: connectez-vous avec votre session Windows et consultez l’état de chaque méthode de connexion.',
    },
  ],
  [
    'es-ES',
    {
      displayName: 'Outlook IWA',
      description:
        'Inicio de sesión sin contraseña para Outlook con Exchange local: acredita su inicio de sesión de Windows ante su propio servidor Exchange.',
      groupLabel: 'Outlook IWA',
      buttonLabel: 'Inicio de sesión',
      buttonTitle: 'Inicio de sesión de Outlook IWA',
      buttonTooltip:
        'Abre el panel de Outlook IWA: inicie sesión con su cuenta de Windows y consulte el estado de cada método de inicio de sesión.',
    },
  ],
  [
    'ja-JP',
    {
      displayName: 'Outlook IWA',
      description:
        'オンプレミス Exchange の Outlook 向けパスワード不要のサインイン。Windows へのサインインを組織の Exchange サーバーに証明します。',
      groupLabel: 'Outlook IWA',
      buttonLabel: 'サインイン',
      buttonTitle: 'Outlook IWA サインイン',
      buttonTooltip:
        'Outlook IWA ウィンドウを開きます。Windows アカウントでサインインし、各サインイン方法の状態を確認できます。',
    },
  ],
  [
    'zh-CN',
    {
      displayName: 'Outlook IWA',
      description:
        '适用于本地 Exchange 的 Outlook 免密码登录：向你们自己的 Exchange 服务器证明你的 Windows 登录身份。',
      groupLabel: 'Outlook IWA',
      buttonLabel: '登录',
      buttonTitle: 'Outlook IWA 登录',
      buttonTooltip: '打开 Outlook IWA 窗格：使用你的 Windows 登录身份登录，并查看每种登录方式的状态。',
    },
  ],
  [
    'ar-SA',
    {
      displayName: 'Outlook IWA',
      description:
        'تسجيل دخول دون كلمة مرور إلى Outlook مع Exchange المحلي: يُثبت تسجيل دخولك إلى Windows لخادم Exchange الخاص بمؤسستك.',
      groupLabel: 'Outlook IWA',
      buttonLabel: 'تسجيل الدخول',
      buttonTitle: 'تسجيل الدخول إلى Outlook IWA',
      buttonTooltip: 'يفتح جزء Outlook IWA: سجّل الدخول بحساب Windows واطّلع على حالة كل طريقة لتسجيل الدخول.',
    },
  ],
];
