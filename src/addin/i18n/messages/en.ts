/**
 * The English catalogue: the source of every user-facing string in the pane, in ICU
 * MessageFormat (https://unicode-org.github.io/icu/userguide/format_parse/messages/).
 * Every other catalogue must have exactly these keys with the same placeholders
 * (`test/ui/i18n-catalogues.test.ts`; the `Catalogue` type makes `tsc` check the keys too).
 * English is bundled with the pane; the others load on demand (`../locales.ts`).
 */
const en = {
  'product.name': 'Outlook IWA',
  'document.title': '{view} – {product}',

  'status.starting': 'Signing in to Outlook IWA…',
  'status.signedIn': 'Signed in as {mailbox}.',
  'status.failed': 'Sign-in did not work: you are not signed in.',
  'status.signedOut': 'Signed out of Outlook IWA.',

  'startup.heading': 'Signing in',
  'startup.step.office': 'Connecting to Outlook…',
  'startup.step.session': 'Checking your session…',
  'startup.step.methods': 'Looking up your sign-in methods…',
  'startup.step.iwa': 'Signing in with your Windows account…',
  'startup.step.identityToken': 'Signing in with Outlook’s identity token…',
  'startup.step.password': 'Signing in with your password…',

  'notification.failed': 'Outlook IWA could not sign you in. Open the Outlook IWA pane to fix it.',
  'notification.action': 'Fix sign-in',

  'host.title': 'Open in Outlook',
  'host.heading': 'Open this from Outlook',
  'host.notLoaded': 'Outlook’s add-in library could not be loaded from the sign-in service.',
  'host.notInOutlook': 'This page is the Outlook IWA add-in. It works only inside Outlook.',
  'host.next':
    'Open an email in Outlook and choose Outlook IWA on the ribbon. If this keeps happening inside Outlook, tell your IT admin.',

  'settings.heading': 'Authentication Settings',
  'settings.notSignedIn': 'You are not signed in.',
  'settings.failureTitle': '{title}.',
  'settings.fixSignIn': 'Fix sign-in',
  'settings.signedOut': 'You are signed out.',
  'settings.signIn': 'Sign in',
  'settings.signingIn': 'Signing in…',
  'settings.session': 'Your session',
  'settings.signedInAs': 'Signed in as',
  'settings.method': 'Method',
  'settings.mechanism': 'Mechanism',
  'settings.expires': 'Session expires',
  'settings.signOut': 'Sign out',
  'settings.methods': 'Sign-in methods',
  'settings.help': 'Sign-in help',

  'mechanism.kerberos': 'Kerberos',
  'mechanism.ntlm': 'NTLM',

  'card.status': 'Status:',
  'card.badge.active': 'Active',
  'card.badge.available': 'Available',
  'card.badge.notEnabled': 'Not enabled by your admin',
  'card.badge.notPossible': 'Not possible here',
  'card.badge.failed': 'Failed',
  'card.notEnabled': 'Your admin has not enabled this method for your mailbox.',
  'card.fixLabel': '{action} {method}',
  'card.checksFor': 'Checks for {method}',
  'card.runningChecks': 'Running checks…',
  'card.retrying': 'Signing in again…',
  'card.fixed': 'Fixed: you are signed in.',
  'card.checkFailed': 'A check failed. Follow its “What to do”, then choose {action} again.',

  'method.iwa.title': 'Windows sign-in (IWA)',
  'method.iwa.summary': 'Signs you in with your Windows account, without a password.',
  'method.iwa.fix': 'Fix',
  'method.identityToken.title': 'Exchange identity token',
  'method.identityToken.summary':
    'Signs you in again silently with a token from Outlook, once you have signed in another way.',
  'method.identityToken.fix': 'Fix',
  'method.password.title': 'Domain password',
  'method.password.summary': 'Type your Windows password once. It is checked by Exchange and never stored.',
  'method.password.fix': 'Sign in with password',
  'method.office365.iwa':
    'Your mailbox is in Office 365 (Exchange Online). Windows sign-in works only with your organisation’s own Exchange servers.',
  'method.office365.identityToken':
    'Your mailbox is in Office 365 (Exchange Online). The Exchange identity token works only with your organisation’s own Exchange servers.',
  'method.office365.password':
    'Your mailbox is in Office 365 (Exchange Online). Domain password sign-in works only with your organisation’s own Exchange servers.',
  'method.consumer': 'This is a personal (Outlook.com or Gmail) account, not a work mailbox.',

  'step.passed': '{name}: passed',
  'step.failed': '{name}: failed',
  'step.warned': '{name}: passed, with a warning',
  'step.remedy': 'What to do: {remedy}',
  'step.profile': 'Sign-in profile',
  'step.dns': 'Exchange server name (DNS)',
  'step.tcp': 'Connection to Exchange',
  'step.tls': 'Exchange certificate (TLS)',
  'step.negotiate': 'Windows authentication offered by Exchange',
  'step.extendedProtection': 'Certificates for Extended Protection',
  'step.token.name': 'Outlook provides an identity token',
  'step.token.ok': 'Outlook handed out a token.',
  'step.token.missing': 'Outlook did not hand out an identity token.',
  'step.token.remedy': 'Use Windows sign-in or your password instead.',

  'outcome.whatHappened': 'What happened',
  'outcome.whoCanFix': 'Who can fix it',
  'outcome.nextStep': 'Next step',
  'fixer.you': 'You',
  'fixer.admin': 'Your IT admin',
  'fixer.youThenAdmin': 'You first; your IT admin if that does not help',
  'fixer.nobody': 'Nobody: this is how your mailbox is set up',

  'password.formLabel': 'Sign in with your domain password',
  'password.username': 'Windows user name',
  'password.usernameHint': 'For example CORP\\alice or alice@corp.test',
  'password.password': 'Password',
  'password.show': 'Show password',
  'password.submit': 'Sign in',
  'password.signingIn': 'Signing in…',
  'password.enterUsername': 'Enter your Windows user name.',
  'password.enterPassword': 'Enter your password.',
  'password.wrong': 'The user name or password is not correct.',
  'password.mismatch': '{what} Use the account of {mailbox}.',
  'password.badUsername': 'Enter your Windows user name, for example CORP\\alice or alice@corp.test.',
  'password.formError': '{title}. {next}',

  'wizard.title': 'Sign-in help',
  'wizard.heading': 'Sign-in help',
  'wizard.opening': 'Opening sign-in help…',
  'wizard.step1': '1. Your setup',
  'wizard.setupChecks': 'Setup checks',
  'wizard.checkingSetup': 'Checking your setup…',
  'wizard.step2': '2. Windows sign-in',
  'wizard.iwaTrying': 'Signing in with your Windows account…',
  'wizard.iwaProgress': 'Signing in with your Windows account',
  'wizard.iwaSkipped': 'Not tried: it cannot work here (see below).',
  'wizard.iwaWorked': 'Windows sign-in worked.',
  'wizard.iwaFailed': 'Windows sign-in did not work.',
  'wizard.tryAgain': 'Try again',
  'wizard.step3': '3. What happened',
  'wizard.step4': '4. Other ways to sign in',
  'wizard.noAlternatives': 'No other sign-in method is enabled for your mailbox. Your admin can enable one.',
  'wizard.identityTokenButton': 'Sign in with Outlook’s identity token',
  'wizard.signingIn': 'Signing in…',
  'wizard.done': 'Done',
  'wizard.signedIn': 'You are signed in as {mailbox} with {method}.',
  'wizard.close': 'Close',
  'wizard.back': 'Back to Authentication Settings',
  'wizard.setup.mailbox': 'Outlook mailbox',
  'wizard.setup.where': 'Where your mailbox is',
  'wizard.setup.onPremises': 'Your mailbox is on your organisation’s own Exchange servers.',
  'wizard.setup.office365':
    'Your mailbox is in Office 365 (Exchange Online): Windows sign-in is not supported.',
  'wizard.setup.consumer': 'This is a personal Outlook.com or Gmail account.',
  'wizard.setup.unknown': 'Outlook did not say where your mailbox is; assuming your own Exchange servers.',
  'wizard.setup.profile': 'Sign-in profile',
  'wizard.setup.profileFailed': 'The sign-in service could not tell which methods you may use.',
  'wizard.setup.profileFound': 'found',
  'wizard.setup.iwaEnabled': 'Windows sign-in enabled by your admin',
  'wizard.setup.yes': 'Yes',
  'wizard.setup.no': 'No',

  'outcome.anotherWay': 'Meanwhile, sign in another way if one is offered below.',
  'outcome.generic.title': 'Something went wrong',
  'outcome.generic.what': 'The sign-in service reported a problem (code {code}).',
  'outcome.generic.whatHttp': 'The sign-in service reported a problem (code {code}, HTTP {status}).',
  'outcome.generic.next': 'Try again later. If it keeps happening, tell your IT admin the code {code}.',

  'outcome.CAS_NO_NEGOTIATE.title': 'Exchange does not offer Windows sign-in',
  'outcome.CAS_NO_NEGOTIATE.what':
    'Your organisation’s Exchange server has Windows authentication turned off for Exchange Web Services.',
  'outcome.CAS_NO_NEGOTIATE.whatOffered':
    'Your organisation’s Exchange server has Windows authentication turned off for Exchange Web Services (it offers only: {offered}).',
  'outcome.CAS_NO_NEGOTIATE.next':
    'Ask your Exchange admin to enable Windows Authentication (Negotiate) on the EWS virtual directory in IIS. {anotherWay}',
  'outcome.AUTH_REJECTED.title': 'Exchange did not accept your Windows sign-in',
  'outcome.AUTH_REJECTED.what':
    'Exchange refused the credentials Windows sent. Usually this PC is not joined to your organisation’s domain, you are signed in to Windows with a local account, or your account is locked or disabled.',
  'outcome.AUTH_REJECTED.next':
    'Sign in to Windows with your work account on a PC in your organisation’s domain, then choose Try again. If that is already the case, ask your IT admin to check your account.',
  'outcome.EXTENDED_PROTECTION_SUSPECTED.title': 'Exchange’s Extended Protection blocked the sign-in',
  'outcome.EXTENDED_PROTECTION_SUSPECTED.what':
    'Exchange checks that a Windows sign-in was made for its own certificate (Extended Protection). Our sign-in service uses a different certificate, so Exchange refused it.',
  'outcome.EXTENDED_PROTECTION_SUSPECTED.next':
    'Ask your Exchange admin to serve the sign-in service with the Exchange server’s certificate, or to turn Extended Protection off on the EWS front-end virtual directory. {anotherWay}',
  'outcome.IDENTITY_MISMATCH.title': 'You are signed in to Windows as someone else',
  'outcome.IDENTITY_MISMATCH.what': 'Windows proved the mailbox {proven}, but Outlook is open for {claimed}.',
  'outcome.IDENTITY_MISMATCH.whatUnknown':
    'Windows proved the mailbox of a different user, but Outlook is open for {claimed}.',
  'outcome.IDENTITY_MISMATCH.next':
    'Sign in to Windows as the owner of {claimed}, or sign in below with the password of {claimed}.',
  'outcome.CAS_UNREACHABLE.title': 'The Exchange server cannot be reached',
  'outcome.CAS_UNREACHABLE.what':
    'Our sign-in service could not connect to your organisation’s Exchange server.',
  'outcome.CAS_UNREACHABLE.next':
    'Ask your IT admin to check the Exchange address in the authentication profile, DNS, and the firewall between the sign-in service and Exchange. Then try again.',
  'outcome.CAS_TLS_UNTRUSTED.title': 'Exchange’s certificate is not trusted',
  'outcome.CAS_TLS_UNTRUSTED.what':
    'The sign-in service could not verify the Exchange server’s certificate, so it stopped to keep you safe.',
  'outcome.CAS_TLS_UNTRUSTED.next':
    'Ask your IT admin to add the certificate authority that issued Exchange’s certificate to the authentication profile, or to renew the certificate.',
  'outcome.CAS_PROTOCOL_ERROR.title': 'Exchange answered in an unexpected way',
  'outcome.CAS_PROTOCOL_ERROR.what':
    'The sign-in service reached Exchange, but the answer was not what Exchange Web Services sends.',
  'outcome.CAS_PROTOCOL_ERROR.next':
    'Ask your IT admin to check that the profile’s Exchange URL ends in /EWS/Exchange.asmx and that no proxy rewrites it.',
  'outcome.PROFILE_NOT_FOUND.title': 'Sign-in is not set up for your mailbox',
  'outcome.PROFILE_NOT_FOUND.what': 'No authentication profile covers {mailbox}.',
  'outcome.PROFILE_NOT_FOUND.next':
    'Ask your IT admin to create a default authentication profile, or one that includes your email domain.',
  'outcome.METHOD_DISABLED.title': 'This sign-in method is turned off for you',
  'outcome.METHOD_DISABLED.what':
    'Your admin has not enabled this sign-in method in your authentication profile.',
  'outcome.METHOD_DISABLED.next': 'Ask your IT admin to enable it, or use another method below.',
  'outcome.RATE_LIMITED.title': 'Too many sign-in attempts',
  'outcome.RATE_LIMITED.what':
    'To protect your account from lock-out, the sign-in service is pausing attempts for your mailbox or this computer.',
  'outcome.RATE_LIMITED.next': 'Wait a few minutes, then choose Try again once.',
  'outcome.HANDSHAKE_INVALID.title': 'The Windows sign-in was interrupted',
  'outcome.HANDSHAKE_INVALID.what':
    'The sign-in exchange between Outlook and our service did not complete in order. A proxy or load balancer that mixes up connections can cause this.',
  'outcome.HANDSHAKE_INVALID.next':
    'Choose Try again once. If it happens again, ask your IT admin to reach the sign-in service over HTTP/1.1 with connection affinity (no connection-sharing proxy).',
  'outcome.HANDSHAKE_CAPACITY.title': 'The sign-in service is busy',
  'outcome.HANDSHAKE_CAPACITY.what': 'Too many people are signing in at this moment.',
  'outcome.HANDSHAKE_CAPACITY.next': 'Wait a minute, then choose Try again.',
  'outcome.NEGOTIATE.title': 'Windows sign-in did not continue',
  'outcome.NEGOTIATE.what':
    'The sign-in service asked your browser to continue the Windows sign-in, but it did not answer.',
  'outcome.NEGOTIATE.next':
    'Try again. If it keeps happening, ask your IT admin to check that {site} is trusted for Windows authentication.',
  'outcome.HANDSHAKE_ABANDONED.title': 'The Windows sign-in was left unfinished',
  'outcome.HANDSHAKE_ABANDONED.what':
    'Your browser stopped the Windows sign-in before it finished, usually because it had no Windows sign-in to offer.',
  'outcome.HANDSHAKE_ABANDONED.next': 'Try again. If it keeps happening, tell your IT admin.',
  'outcome.REQUEST_TOO_LARGE.title': 'Your Windows sign-in was too large',
  'outcome.REQUEST_TOO_LARGE.what':
    'The sign-in sent by Windows was larger than the sign-in service accepts. Very large Kerberos tickets (many group memberships) cause this.',
  'outcome.REQUEST_TOO_LARGE.next':
    'Ask your IT admin to raise the header size limit of the sign-in service and any proxy in front of it.',
  'outcome.IDENTITY_TOKEN_INVALID.title': 'Outlook’s identity token was refused',
  'outcome.IDENTITY_TOKEN_INVALID.what': 'The sign-in service could not validate Outlook’s identity token.',
  'outcome.IDENTITY_TOKEN_INVALID.whatReason':
    'The sign-in service could not validate Outlook’s identity token (failed check: {reason}).',
  'outcome.IDENTITY_TOKEN_INVALID.next':
    'Use another sign-in method. Admins: check that the profile trusts your Exchange server and that server clocks are in sync.',
  'outcome.IDENTITY_TOKEN_UNBOUND.title': 'Sign in once with Windows or your password first',
  'outcome.IDENTITY_TOKEN_UNBOUND.what':
    'Outlook’s identity token is not linked to your mailbox yet. It is linked the first time you sign in with Windows sign-in or your password.',
  'outcome.IDENTITY_TOKEN_UNBOUND.next':
    'Sign in once with Windows sign-in or your password. After that, this method signs you in silently.',
  'outcome.SESSION_INVALID.title': 'Your session has ended',
  'outcome.SESSION_INVALID.what': 'Your session expired or was signed out.',
  'outcome.SESSION_INVALID.next': 'Sign in again.',
  'outcome.MAILBOX_INVALID.title': 'Outlook gave an unusable mailbox address',
  'outcome.MAILBOX_INVALID.what':
    'The address Outlook reported for your mailbox is not a valid email address.',
  'outcome.MAILBOX_INVALID.next': 'Tell your IT admin; the Outlook profile may be set up incorrectly.',
  'outcome.INPUT_INVALID.title': 'The sign-in request was not accepted',
  'outcome.INPUT_INVALID.what':
    'The sign-in service could not use what was sent, for example a malformed user name.',
  'outcome.INPUT_INVALID.next':
    'Check what you typed and try again. If it keeps happening, tell your IT admin.',
  'outcome.NOT_FOUND.title': 'The sign-in service does not know this request',
  'outcome.NOT_FOUND.what':
    'The sign-in service has no such page or entry. It may be a newer or older version than this pane.',
  'outcome.NOT_FOUND.next': 'Close and reopen the pane. If it keeps happening, tell your IT admin.',
  'outcome.CONFLICT.title': 'The sign-in service is busy with a change',
  'outcome.CONFLICT.what': 'Someone changed the same setting at the same moment.',
  'outcome.CONFLICT.next': 'Wait a moment, then try again.',
  'outcome.ADMIN_UNAUTHORIZED.title': 'This needs admin rights',
  'outcome.ADMIN_UNAUTHORIZED.what': 'The request needs the sign-in service’s admin credential.',
  'outcome.ADMIN_UNAUTHORIZED.next':
    'Nothing for you to do here. If you saw this in the pane, tell your IT admin.',
  'outcome.DATABASE_UNAVAILABLE.title': 'The sign-in service cannot reach its database',
  'outcome.DATABASE_UNAVAILABLE.what':
    'The sign-in service is running, but its database is not available right now.',
  'outcome.DATABASE_UNAVAILABLE.next':
    'Try again in a few minutes. If it keeps happening, tell your IT admin.',
  'outcome.SCHEMA_TOO_NEW.title': 'The sign-in service needs an update',
  'outcome.SCHEMA_TOO_NEW.what':
    'The sign-in service’s database was set up by a newer version of the service.',
  'outcome.SCHEMA_TOO_NEW.next': 'Tell your IT admin: the service must be updated to match its database.',
  'outcome.CONFIG_INVALID.title': 'The sign-in service is not set up correctly',
  'outcome.CONFIG_INVALID.what': 'A setting of the sign-in service is missing or wrong.',
  'outcome.CONFIG_INVALID.next': 'Tell your IT admin; the service’s settings need fixing.',
  'outcome.REQUEST_TIMEOUT.title': 'The request took too long',
  'outcome.REQUEST_TIMEOUT.what':
    'Your computer sent the request too slowly, so the sign-in service stopped waiting.',
  'outcome.REQUEST_TIMEOUT.next': 'Try again. If it keeps happening, tell your IT admin.',
  'outcome.TLS_CERT_REQUIRED.title': 'The sign-in service has no certificate',
  'outcome.TLS_CERT_REQUIRED.what': 'The service was started without its HTTPS certificate.',
  'outcome.TLS_CERT_REQUIRED.next':
    'Tell your IT admin; the service needs its certificate before it can run.',
  'outcome.AUDIENCE_UNKNOWN.title': 'This app is not registered for sign-in',
  'outcome.AUDIENCE_UNKNOWN.what':
    'An app asked for a sign-in pass that the sign-in service does not know about.',
  'outcome.AUDIENCE_UNKNOWN.next':
    'Tell your IT admin; the app has to be registered with the sign-in service.',
  'outcome.CLIENT_UNAUTHORIZED.title': 'An app could not check your sign-in',
  'outcome.CLIENT_UNAUTHORIZED.what': 'The credentials an app uses to check sign-ins were refused.',
  'outcome.CLIENT_UNAUTHORIZED.next': 'Tell your IT admin; the app’s credentials need renewing.',
  'outcome.KEY_ENCRYPTION_KEY_MISSING.title': 'Sign-in for other apps is turned off',
  'outcome.KEY_ENCRYPTION_KEY_MISSING.what': 'The sign-in service has no key to sign passes for other apps.',
  'outcome.KEY_ENCRYPTION_KEY_MISSING.next': 'Tell your IT admin; the service needs its key-encryption key.',
  'outcome.KEY_ENCRYPTION_KEY_INVALID.title': 'Sign-in for other apps is not working',
  'outcome.KEY_ENCRYPTION_KEY_INVALID.what':
    'The sign-in service cannot use the key it signs passes for other apps with.',
  'outcome.KEY_ENCRYPTION_KEY_INVALID.next': 'Tell your IT admin; the service’s key file needs fixing.',
  'outcome.INTERNAL.title': 'The sign-in service had a problem',
  'outcome.INTERNAL.what': 'Something unexpected went wrong inside the sign-in service.',
  'outcome.INTERNAL.next': 'Try again later. If it keeps happening, tell your IT admin the time it happened.',
  'outcome.BROWSER_NO_CREDENTIALS.title': 'Windows did not send your sign-in',
  'outcome.BROWSER_NO_CREDENTIALS.what':
    'Outlook’s browser was asked for your Windows sign-in but did not offer it. Browsers only do that for sites trusted for Windows authentication, and {site} is not one yet.',
  'outcome.BROWSER_NO_CREDENTIALS.next':
    'Ask your IT admin to add {site} to the Local intranet zone (Group Policy “Site to Zone Assignment List”) and to the AuthServerAllowlist policy for Microsoft Edge WebView2, then restart Outlook.',
  'outcome.NETWORK_FAILURE.title': 'No connection to the sign-in service',
  'outcome.NETWORK_FAILURE.what': 'Outlook could not reach the sign-in service at {site}.',
  'outcome.NETWORK_FAILURE.next':
    'Check that you are connected to your organisation’s network or VPN, then choose Try again. If colleagues have the same problem, tell your IT admin.',
  'outcome.UNEXPECTED_RESPONSE.title': 'The sign-in service answered unexpectedly',
  'outcome.UNEXPECTED_RESPONSE.what':
    'The answer could not be read. A proxy between Outlook and the service may have changed it.',
  'outcome.UNEXPECTED_RESPONSE.whatHttp':
    'The answer could not be read (HTTP {status}). A proxy between Outlook and the service may have changed it.',
  'outcome.UNEXPECTED_RESPONSE.next': 'Try again later. If it keeps happening, tell your IT admin.',
  'outcome.OFFICE_365.title': 'Office 365 mailboxes cannot use Windows sign-in',
  'outcome.OFFICE_365.what':
    '{mailbox} is in Office 365 (Exchange Online). Windows sign-in here works only with your organisation’s own Exchange servers.',
  'outcome.OFFICE_365.next': 'Use another sign-in method below if your admin has enabled one.',
  'outcome.CONSUMER_ACCOUNT.title': 'This is not a work mailbox',
  'outcome.CONSUMER_ACCOUNT.what':
    '{mailbox} is a personal Outlook.com or Gmail account. These sign-in methods are for your organisation’s Exchange mailbox.',
  'outcome.CONSUMER_ACCOUNT.next': 'Open Outlook with your work mailbox and try again.',
  'outcome.HOST_TOKEN_UNAVAILABLE.title': 'Outlook did not provide an identity token',
  'outcome.HOST_TOKEN_UNAVAILABLE.what':
    'This version of Outlook, or your Exchange server, did not hand out an Exchange identity token.',
  'outcome.HOST_TOKEN_UNAVAILABLE.next':
    'Use Windows sign-in or your password instead. Admins: identity tokens need Exchange 2013 or later.',
} as const;

export default en;

/** Every message id. */
export type MessageId = keyof typeof en;
/** A catalogue: one translation per English key, no more, no less. */
export type Catalogue = { readonly [K in MessageId]: string };
