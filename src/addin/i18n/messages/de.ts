import type { Catalogue } from './en.ts';

/** Deutsch. Siezen, wie Outlook selbst; Begriffe wie in der deutschen Exchange- und Windows-Oberfläche. */
const de = {
  'product.name': 'Outlook IWA',
  'document.title': '{view} – {product}',

  'status.starting': 'Anmeldung bei Outlook IWA läuft…',
  'status.signedIn': 'Angemeldet als {mailbox}.',
  'status.failed': 'Die Anmeldung hat nicht geklappt: Sie sind nicht angemeldet.',
  'status.signedOut': 'Von Outlook IWA abgemeldet.',

  'startup.heading': 'Anmeldung',
  'startup.step.office': 'Verbindung mit Outlook wird hergestellt…',
  'startup.step.session': 'Ihre Sitzung wird geprüft…',
  'startup.step.methods': 'Ihre Anmeldemethoden werden ermittelt…',
  'startup.step.iwa': 'Anmeldung mit Ihrem Windows-Konto…',
  'startup.step.identityToken': 'Anmeldung mit dem Identitätstoken von Outlook…',
  'startup.step.password': 'Anmeldung mit Ihrem Kennwort…',

  'notification.failed':
    'Outlook IWA konnte Sie nicht anmelden. Öffnen Sie den Outlook IWA-Bereich, um das Problem zu beheben.',
  'notification.action': 'Anmeldung reparieren',

  'host.title': 'In Outlook öffnen',
  'host.heading': 'Bitte aus Outlook öffnen',
  'host.notLoaded': 'Die Add-In-Bibliothek von Outlook konnte nicht vom Anmeldedienst geladen werden.',
  'host.notInOutlook': 'Diese Seite ist das Outlook IWA-Add-In. Sie funktioniert nur in Outlook.',
  'host.next':
    'Öffnen Sie in Outlook eine E-Mail und wählen Sie im Menüband „Outlook IWA“. Wenn das in Outlook immer wieder passiert, wenden Sie sich an Ihre IT-Abteilung.',

  'settings.heading': 'Authentifizierungseinstellungen',
  'settings.notSignedIn': 'Sie sind nicht angemeldet.',
  'settings.failureTitle': '{title}.',
  'settings.fixSignIn': 'Anmeldung reparieren',
  'settings.signedOut': 'Sie sind abgemeldet.',
  'settings.signIn': 'Anmelden',
  'settings.signingIn': 'Anmeldung läuft…',
  'settings.session': 'Ihre Sitzung',
  'settings.signedInAs': 'Angemeldet als',
  'settings.method': 'Methode',
  'settings.mechanism': 'Verfahren',
  'settings.expires': 'Sitzung läuft ab',
  'settings.signOut': 'Abmelden',
  'settings.methods': 'Anmeldemethoden',
  'settings.help': 'Hilfe zur Anmeldung',

  'mechanism.kerberos': 'Kerberos',
  'mechanism.ntlm': 'NTLM',

  'card.status': 'Status:',
  'card.badge.active': 'Aktiv',
  'card.badge.available': 'Verfügbar',
  'card.badge.notEnabled': 'Von Ihrer IT nicht aktiviert',
  'card.badge.notPossible': 'Hier nicht möglich',
  'card.badge.failed': 'Fehlgeschlagen',
  'card.notEnabled': 'Ihre IT hat diese Methode für Ihr Postfach nicht aktiviert.',
  'card.fixLabel': '{method}: {action}',
  'card.checksFor': 'Prüfungen für {method}',
  'card.runningChecks': 'Prüfungen laufen…',
  'card.retrying': 'Erneute Anmeldung…',
  'card.fixed': 'Behoben: Sie sind angemeldet.',
  'card.checkFailed':
    'Eine Prüfung ist fehlgeschlagen. Folgen Sie dem Hinweis unter „Was tun“ und wählen Sie dann erneut „{action}“.',

  'method.iwa.title': 'Windows-Anmeldung (IWA)',
  'method.iwa.summary': 'Meldet Sie mit Ihrem Windows-Konto an – ganz ohne Kennwort.',
  'method.iwa.fix': 'Reparieren',
  'method.identityToken.title': 'Exchange-Identitätstoken',
  'method.identityToken.summary':
    'Meldet Sie im Hintergrund mit einem Token von Outlook erneut an, nachdem Sie sich einmal anders angemeldet haben.',
  'method.identityToken.fix': 'Reparieren',
  'method.password.title': 'Domänenkennwort',
  'method.password.summary':
    'Geben Sie einmal Ihr Windows-Kennwort ein. Exchange prüft es; gespeichert wird es nie.',
  'method.password.fix': 'Mit Kennwort anmelden',
  'method.office365.iwa':
    'Ihr Postfach liegt in Office 365 (Exchange Online). Die Windows-Anmeldung funktioniert nur mit den eigenen Exchange-Servern Ihrer Organisation.',
  'method.office365.identityToken':
    'Ihr Postfach liegt in Office 365 (Exchange Online). Das Exchange-Identitätstoken funktioniert nur mit den eigenen Exchange-Servern Ihrer Organisation.',
  'method.office365.password':
    'Ihr Postfach liegt in Office 365 (Exchange Online). Die Anmeldung mit Domänenkennwort funktioniert nur mit den eigenen Exchange-Servern Ihrer Organisation.',
  'method.consumer': 'Dies ist ein privates Konto (Outlook.com oder Gmail), kein geschäftliches Postfach.',

  'step.passed': '{name}: bestanden',
  'step.failed': '{name}: fehlgeschlagen',
  'step.warned': '{name}: bestanden, mit Warnung',
  'step.remedy': 'Was tun: {remedy}',
  'step.profile': 'Anmeldeprofil',
  'step.dns': 'Name des Exchange-Servers (DNS)',
  'step.tcp': 'Verbindung zu Exchange',
  'step.tls': 'Exchange-Zertifikat (TLS)',
  'step.negotiate': 'Windows-Authentifizierung von Exchange angeboten',
  'step.extendedProtection': 'Erweiterter Schutz',
  'step.token.name': 'Outlook stellt ein Identitätstoken bereit',
  'step.token.ok': 'Outlook hat ein Token ausgegeben.',
  'step.token.missing': 'Outlook hat kein Identitätstoken ausgegeben.',
  'step.token.remedy': 'Melden Sie sich stattdessen mit Windows oder Ihrem Kennwort an.',

  'outcome.whatHappened': 'Was ist passiert',
  'outcome.whoCanFix': 'Wer kann es beheben',
  'outcome.nextStep': 'Nächster Schritt',
  'fixer.you': 'Sie selbst',
  'fixer.admin': 'Ihre IT-Abteilung',
  'fixer.youThenAdmin': 'Zuerst Sie selbst; wenn das nicht hilft, Ihre IT-Abteilung',
  'fixer.nobody': 'Niemand: Ihr Postfach ist so eingerichtet',

  'password.formLabel': 'Mit Ihrem Domänenkennwort anmelden',
  'password.username': 'Windows-Benutzername',
  'password.usernameHint': 'Zum Beispiel CORP\\alice oder alice@corp.test',
  'password.password': 'Kennwort',
  'password.show': 'Kennwort anzeigen',
  'password.submit': 'Anmelden',
  'password.signingIn': 'Anmeldung läuft…',
  'password.enterUsername': 'Geben Sie Ihren Windows-Benutzernamen ein.',
  'password.enterPassword': 'Geben Sie Ihr Kennwort ein.',
  'password.wrong': 'Benutzername oder Kennwort ist falsch.',
  'password.mismatch': '{what} Verwenden Sie das Konto von {mailbox}.',
  'password.badUsername':
    'Geben Sie Ihren Windows-Benutzernamen ein, zum Beispiel CORP\\alice oder alice@corp.test.',
  'password.formError': '{title}. {next}',

  'wizard.title': 'Hilfe zur Anmeldung',
  'wizard.heading': 'Hilfe zur Anmeldung',
  'wizard.opening': 'Hilfe zur Anmeldung wird geöffnet…',
  'wizard.step1': '1. Ihre Umgebung',
  'wizard.setupChecks': 'Prüfung der Umgebung',
  'wizard.checkingSetup': 'Ihre Umgebung wird geprüft…',
  'wizard.step2': '2. Windows-Anmeldung',
  'wizard.iwaTrying': 'Anmeldung mit Ihrem Windows-Konto…',
  'wizard.iwaProgress': 'Anmeldung mit Ihrem Windows-Konto',
  'wizard.iwaSkipped': 'Nicht versucht: Das kann hier nicht funktionieren (siehe unten).',
  'wizard.iwaWorked': 'Die Windows-Anmeldung hat funktioniert.',
  'wizard.iwaFailed': 'Die Windows-Anmeldung hat nicht funktioniert.',
  'wizard.tryAgain': 'Erneut versuchen',
  'wizard.step3': '3. Was ist passiert',
  'wizard.step4': '4. Andere Anmeldemöglichkeiten',
  'wizard.noAlternatives':
    'Für Ihr Postfach ist keine andere Anmeldemethode aktiviert. Ihre IT-Abteilung kann eine aktivieren.',
  'wizard.identityTokenButton': 'Mit dem Identitätstoken von Outlook anmelden',
  'wizard.signingIn': 'Anmeldung läuft…',
  'wizard.done': 'Fertig',
  'wizard.signedIn': 'Sie sind als {mailbox} angemeldet, mit {method}.',
  'wizard.close': 'Schließen',
  'wizard.back': 'Zurück zu den Authentifizierungseinstellungen',
  'wizard.setup.mailbox': 'Outlook-Postfach',
  'wizard.setup.where': 'Wo Ihr Postfach liegt',
  'wizard.setup.onPremises': 'Ihr Postfach liegt auf den eigenen Exchange-Servern Ihrer Organisation.',
  'wizard.setup.office365':
    'Ihr Postfach liegt in Office 365 (Exchange Online): Die Windows-Anmeldung wird dort nicht unterstützt.',
  'wizard.setup.consumer': 'Dies ist ein privates Konto bei Outlook.com oder Gmail.',
  'wizard.setup.unknown':
    'Outlook hat nicht mitgeteilt, wo Ihr Postfach liegt; wir gehen von Ihren eigenen Exchange-Servern aus.',
  'wizard.setup.profile': 'Anmeldeprofil',
  'wizard.setup.profileFailed':
    'Der Anmeldedienst konnte nicht feststellen, welche Methoden Sie verwenden dürfen.',
  'wizard.setup.profileFound': 'gefunden',
  'wizard.setup.iwaEnabled': 'Windows-Anmeldung von Ihrer IT aktiviert',
  'wizard.setup.yes': 'Ja',
  'wizard.setup.no': 'Nein',

  'outcome.anotherWay': 'Melden Sie sich bis dahin auf anderem Weg an, falls unten einer angeboten wird.',
  'outcome.generic.title': 'Etwas ist schiefgegangen',
  'outcome.generic.what': 'Der Anmeldedienst hat ein Problem gemeldet (Code {code}).',
  'outcome.generic.whatHttp': 'Der Anmeldedienst hat ein Problem gemeldet (Code {code}, HTTP {status}).',
  'outcome.generic.next':
    'Versuchen Sie es später noch einmal. Wenn es weiterhin auftritt, nennen Sie Ihrer IT-Abteilung den Code {code}.',

  'outcome.CAS_NO_NEGOTIATE.title': 'Exchange bietet keine Windows-Anmeldung an',
  'outcome.CAS_NO_NEGOTIATE.what':
    'Auf dem Exchange-Server Ihrer Organisation ist die Windows-Authentifizierung für die Exchange-Webdienste ausgeschaltet.',
  'outcome.CAS_NO_NEGOTIATE.whatOffered':
    'Auf dem Exchange-Server Ihrer Organisation ist die Windows-Authentifizierung für die Exchange-Webdienste ausgeschaltet (angeboten wird nur: {offered}).',
  'outcome.CAS_NO_NEGOTIATE.next':
    'Bitten Sie Ihre Exchange-Administration, im IIS für das virtuelle EWS-Verzeichnis die Windows-Authentifizierung (Negotiate) zu aktivieren. {anotherWay}',
  'outcome.AUTH_REJECTED.title': 'Exchange hat Ihre Windows-Anmeldung nicht akzeptiert',
  'outcome.AUTH_REJECTED.what':
    'Exchange hat die von Windows gesendeten Anmeldedaten abgelehnt. Meist ist dieser PC nicht Mitglied der Domäne Ihrer Organisation, Sie sind mit einem lokalen Konto bei Windows angemeldet, oder Ihr Konto ist gesperrt oder deaktiviert.',
  'outcome.AUTH_REJECTED.next':
    'Melden Sie sich an einem PC der Domäne Ihrer Organisation mit Ihrem Arbeitskonto bei Windows an und wählen Sie dann „Erneut versuchen“. Ist das bereits der Fall, bitten Sie Ihre IT-Abteilung, Ihr Konto zu prüfen.',
  'outcome.EXTENDED_PROTECTION_SUSPECTED.title':
    'Der erweiterte Schutz von Exchange hat die Anmeldung blockiert',
  'outcome.EXTENDED_PROTECTION_SUSPECTED.what':
    'Exchange prüft, ob eine Windows-Anmeldung für sein eigenes Zertifikat erfolgt ist (erweiterter Schutz). Unser Anmeldedienst verwendet ein anderes Zertifikat, deshalb hat Exchange die Anmeldung abgelehnt.',
  'outcome.EXTENDED_PROTECTION_SUSPECTED.next':
    'Bitten Sie Ihre Exchange-Administration, den Anmeldedienst mit dem Zertifikat des Exchange-Servers zu betreiben oder den erweiterten Schutz für das virtuelle EWS-Front-End-Verzeichnis auszuschalten. {anotherWay}',
  'outcome.IDENTITY_MISMATCH.title': 'Sie sind bei Windows als jemand anderes angemeldet',
  'outcome.IDENTITY_MISMATCH.what':
    'Windows hat das Postfach {proven} nachgewiesen, Outlook ist aber für {claimed} geöffnet.',
  'outcome.IDENTITY_MISMATCH.whatUnknown':
    'Windows hat das Postfach eines anderen Benutzers nachgewiesen, Outlook ist aber für {claimed} geöffnet.',
  'outcome.IDENTITY_MISMATCH.next':
    'Melden Sie sich bei Windows als Inhaber von {claimed} an, oder melden Sie sich unten mit dem Kennwort von {claimed} an.',
  'outcome.CAS_UNREACHABLE.title': 'Der Exchange-Server ist nicht erreichbar',
  'outcome.CAS_UNREACHABLE.what':
    'Unser Anmeldedienst konnte keine Verbindung zum Exchange-Server Ihrer Organisation herstellen.',
  'outcome.CAS_UNREACHABLE.next':
    'Bitten Sie Ihre IT-Abteilung, die Exchange-Adresse im Authentifizierungsprofil, das DNS und die Firewall zwischen Anmeldedienst und Exchange zu prüfen. Versuchen Sie es dann erneut.',
  'outcome.CAS_TLS_UNTRUSTED.title': 'Dem Zertifikat von Exchange wird nicht vertraut',
  'outcome.CAS_TLS_UNTRUSTED.what':
    'Der Anmeldedienst konnte das Zertifikat des Exchange-Servers nicht überprüfen und hat zu Ihrer Sicherheit abgebrochen.',
  'outcome.CAS_TLS_UNTRUSTED.next':
    'Bitten Sie Ihre IT-Abteilung, die Zertifizierungsstelle, die das Exchange-Zertifikat ausgestellt hat, im Authentifizierungsprofil zu hinterlegen oder das Zertifikat zu erneuern.',
  'outcome.CAS_PROTOCOL_ERROR.title': 'Exchange hat unerwartet geantwortet',
  'outcome.CAS_PROTOCOL_ERROR.what':
    'Der Anmeldedienst hat Exchange erreicht, aber die Antwort sah nicht aus wie eine der Exchange-Webdienste.',
  'outcome.CAS_PROTOCOL_ERROR.next':
    'Bitten Sie Ihre IT-Abteilung zu prüfen, ob die Exchange-URL des Profils auf /EWS/Exchange.asmx endet und kein Proxy sie umschreibt.',
  'outcome.PROFILE_NOT_FOUND.title': 'Die Anmeldung ist für Ihr Postfach nicht eingerichtet',
  'outcome.PROFILE_NOT_FOUND.what': 'Kein Authentifizierungsprofil gilt für {mailbox}.',
  'outcome.PROFILE_NOT_FOUND.next':
    'Bitten Sie Ihre IT-Abteilung, ein Standard-Authentifizierungsprofil anzulegen oder eines, das Ihre E-Mail-Domäne enthält.',
  'outcome.METHOD_DISABLED.title': 'Diese Anmeldemethode ist für Sie ausgeschaltet',
  'outcome.METHOD_DISABLED.what':
    'Ihre IT hat diese Anmeldemethode in Ihrem Authentifizierungsprofil nicht aktiviert.',
  'outcome.METHOD_DISABLED.next':
    'Bitten Sie Ihre IT-Abteilung, sie zu aktivieren, oder verwenden Sie unten eine andere Methode.',
  'outcome.RATE_LIMITED.title': 'Zu viele Anmeldeversuche',
  'outcome.RATE_LIMITED.what':
    'Damit Ihr Konto nicht gesperrt wird, setzt der Anmeldedienst Versuche für Ihr Postfach oder diesen Computer kurz aus.',
  'outcome.RATE_LIMITED.next': 'Warten Sie einige Minuten und wählen Sie dann einmal „Erneut versuchen“.',
  'outcome.HANDSHAKE_INVALID.title': 'Die Windows-Anmeldung wurde unterbrochen',
  'outcome.HANDSHAKE_INVALID.what':
    'Der Anmeldeablauf zwischen Outlook und unserem Dienst wurde nicht in der richtigen Reihenfolge abgeschlossen. Das kann ein Proxy oder Load Balancer verursachen, der Verbindungen vermischt.',
  'outcome.HANDSHAKE_INVALID.next':
    'Wählen Sie einmal „Erneut versuchen“. Passiert es wieder, bitten Sie Ihre IT-Abteilung, den Anmeldedienst über HTTP/1.1 mit Verbindungsaffinität erreichbar zu machen (ohne Proxy, der Verbindungen teilt).',
  'outcome.HANDSHAKE_CAPACITY.title': 'Der Anmeldedienst ist ausgelastet',
  'outcome.HANDSHAKE_CAPACITY.what': 'Gerade melden sich zu viele Personen gleichzeitig an.',
  'outcome.HANDSHAKE_CAPACITY.next': 'Warten Sie eine Minute und wählen Sie dann „Erneut versuchen“.',
  'outcome.NEGOTIATE.title': 'Die Windows-Anmeldung wurde nicht fortgesetzt',
  'outcome.NEGOTIATE.what':
    'Der Anmeldedienst hat Ihren Browser gebeten, die Windows-Anmeldung fortzusetzen, aber er hat nicht geantwortet.',
  'outcome.NEGOTIATE.next':
    'Versuchen Sie es noch einmal. Wenn es wieder passiert, bitten Sie Ihre IT-Abteilung zu prüfen, ob {site} für die Windows-Authentifizierung freigegeben ist.',
  'outcome.HANDSHAKE_ABANDONED.title': 'Die Windows-Anmeldung wurde nicht abgeschlossen',
  'outcome.HANDSHAKE_ABANDONED.what':
    'Ihr Browser hat die Windows-Anmeldung vorzeitig beendet, meist weil er keine Windows-Anmeldung anbieten konnte.',
  'outcome.HANDSHAKE_ABANDONED.next':
    'Versuchen Sie es noch einmal. Wenn es wieder passiert, wenden Sie sich an Ihre IT-Abteilung.',
  'outcome.REQUEST_TOO_LARGE.title': 'Ihre Windows-Anmeldung war zu groß',
  'outcome.REQUEST_TOO_LARGE.what':
    'Die von Windows gesendete Anmeldung war größer, als der Anmeldedienst annimmt. Das passiert bei sehr großen Kerberos-Tickets (viele Gruppenmitgliedschaften).',
  'outcome.REQUEST_TOO_LARGE.next':
    'Bitten Sie Ihre IT-Abteilung, die Header-Größenbegrenzung des Anmeldedienstes und aller vorgeschalteten Proxys zu erhöhen.',
  'outcome.IDENTITY_TOKEN_INVALID.title': 'Das Identitätstoken von Outlook wurde abgelehnt',
  'outcome.IDENTITY_TOKEN_INVALID.what':
    'Der Anmeldedienst konnte das Identitätstoken von Outlook nicht prüfen.',
  'outcome.IDENTITY_TOKEN_INVALID.whatReason':
    'Der Anmeldedienst konnte das Identitätstoken von Outlook nicht prüfen (fehlgeschlagene Prüfung: {reason}).',
  'outcome.IDENTITY_TOKEN_INVALID.next':
    'Verwenden Sie eine andere Anmeldemethode. Für Admins: Prüfen Sie, ob das Profil Ihrem Exchange-Server vertraut und die Serveruhren synchron laufen.',
  'outcome.IDENTITY_TOKEN_UNBOUND.title': 'Melden Sie sich zuerst einmal mit Windows oder Kennwort an',
  'outcome.IDENTITY_TOKEN_UNBOUND.what':
    'Das Identitätstoken von Outlook ist noch nicht mit Ihrem Postfach verknüpft. Das geschieht bei Ihrer ersten Anmeldung mit Windows oder Kennwort.',
  'outcome.IDENTITY_TOKEN_UNBOUND.next':
    'Melden Sie sich einmal mit Windows oder Ihrem Kennwort an. Danach meldet diese Methode Sie im Hintergrund an.',
  'outcome.SESSION_INVALID.title': 'Ihre Sitzung ist beendet',
  'outcome.SESSION_INVALID.what': 'Ihre Sitzung ist abgelaufen oder wurde abgemeldet.',
  'outcome.SESSION_INVALID.next': 'Melden Sie sich erneut an.',
  'outcome.MAILBOX_INVALID.title': 'Outlook hat eine unbrauchbare Postfachadresse geliefert',
  'outcome.MAILBOX_INVALID.what':
    'Die Adresse, die Outlook für Ihr Postfach meldet, ist keine gültige E-Mail-Adresse.',
  'outcome.MAILBOX_INVALID.next':
    'Wenden Sie sich an Ihre IT-Abteilung; das Outlook-Profil ist möglicherweise falsch eingerichtet.',
  'outcome.INPUT_INVALID.title': 'Die Anmeldeanfrage wurde nicht angenommen',
  'outcome.INPUT_INVALID.what':
    'Der Anmeldedienst konnte die gesendeten Angaben nicht verwenden, zum Beispiel einen falsch geschriebenen Benutzernamen.',
  'outcome.INPUT_INVALID.next':
    'Prüfen Sie Ihre Eingabe und versuchen Sie es erneut. Wenn es weiterhin auftritt, wenden Sie sich an Ihre IT-Abteilung.',
  'outcome.NOT_FOUND.title': 'Der Anmeldedienst kennt diese Anfrage nicht',
  'outcome.NOT_FOUND.what':
    'Beim Anmeldedienst gibt es diese Seite oder diesen Eintrag nicht. Vielleicht ist er neuer oder älter als dieser Bereich.',
  'outcome.NOT_FOUND.next':
    'Schließen Sie den Bereich und öffnen Sie ihn erneut. Wenn es weiterhin auftritt, wenden Sie sich an Ihre IT-Abteilung.',
  'outcome.CONFLICT.title': 'Der Anmeldedienst verarbeitet gerade eine Änderung',
  'outcome.CONFLICT.what': 'Jemand hat im selben Moment dieselbe Einstellung geändert.',
  'outcome.CONFLICT.next': 'Warten Sie einen Moment und versuchen Sie es dann erneut.',
  'outcome.ADMIN_UNAUTHORIZED.title': 'Dafür sind Administratorrechte nötig',
  'outcome.ADMIN_UNAUTHORIZED.what': 'Die Anfrage erfordert den Administratorzugang des Anmeldedienstes.',
  'outcome.ADMIN_UNAUTHORIZED.next':
    'Sie müssen hier nichts tun. Wenn Sie dies im Bereich sehen, informieren Sie Ihre IT-Abteilung.',
  'outcome.DATABASE_UNAVAILABLE.title': 'Der Anmeldedienst erreicht seine Datenbank nicht',
  'outcome.DATABASE_UNAVAILABLE.what':
    'Der Anmeldedienst läuft, aber seine Datenbank ist gerade nicht verfügbar.',
  'outcome.DATABASE_UNAVAILABLE.next':
    'Versuchen Sie es in einigen Minuten erneut. Wenn es weiterhin auftritt, wenden Sie sich an Ihre IT-Abteilung.',
  'outcome.SCHEMA_TOO_NEW.title': 'Der Anmeldedienst muss aktualisiert werden',
  'outcome.SCHEMA_TOO_NEW.what':
    'Die Datenbank des Anmeldedienstes wurde von einer neueren Version des Dienstes eingerichtet.',
  'outcome.SCHEMA_TOO_NEW.next':
    'Informieren Sie Ihre IT-Abteilung: Der Dienst muss auf den Stand seiner Datenbank gebracht werden.',
  'outcome.CONFIG_INVALID.title': 'Der Anmeldedienst ist nicht richtig eingerichtet',
  'outcome.CONFIG_INVALID.what': 'Eine Einstellung des Anmeldedienstes fehlt oder ist falsch.',
  'outcome.CONFIG_INVALID.next':
    'Wenden Sie sich an Ihre IT-Abteilung; die Einstellungen des Dienstes müssen korrigiert werden.',
  'outcome.REQUEST_TIMEOUT.title': 'Die Anfrage hat zu lange gedauert',
  'outcome.REQUEST_TIMEOUT.what':
    'Ihr Computer hat die Anfrage zu langsam gesendet, daher hat der Anmeldedienst nicht länger gewartet.',
  'outcome.REQUEST_TIMEOUT.next':
    'Versuchen Sie es noch einmal. Wenn es wieder passiert, wenden Sie sich an Ihre IT-Abteilung.',
  'outcome.TLS_CERT_REQUIRED.title': 'Dem Anmeldedienst fehlt sein Zertifikat',
  'outcome.TLS_CERT_REQUIRED.what': 'Der Dienst wurde ohne sein HTTPS-Zertifikat gestartet.',
  'outcome.TLS_CERT_REQUIRED.next':
    'Wenden Sie sich an Ihre IT-Abteilung; der Dienst braucht sein Zertifikat, um zu laufen.',
  'outcome.AUDIENCE_UNKNOWN.title': 'Diese App ist nicht für die Anmeldung registriert',
  'outcome.AUDIENCE_UNKNOWN.what':
    'Eine App hat einen Anmeldenachweis angefordert, den der Anmeldedienst nicht kennt.',
  'outcome.AUDIENCE_UNKNOWN.next':
    'Wenden Sie sich an Ihre IT-Abteilung; die App muss beim Anmeldedienst registriert werden.',
  'outcome.CLIENT_UNAUTHORIZED.title': 'Eine App konnte Ihre Anmeldung nicht prüfen',
  'outcome.CLIENT_UNAUTHORIZED.what':
    'Die Zugangsdaten, mit denen eine App Anmeldungen prüft, wurden abgelehnt.',
  'outcome.CLIENT_UNAUTHORIZED.next':
    'Wenden Sie sich an Ihre IT-Abteilung; die Zugangsdaten der App müssen erneuert werden.',
  'outcome.KEY_ENCRYPTION_KEY_MISSING.title': 'Die Anmeldung für andere Apps ist ausgeschaltet',
  'outcome.KEY_ENCRYPTION_KEY_MISSING.what':
    'Dem Anmeldedienst fehlt der Schlüssel, mit dem er Nachweise für andere Apps signiert.',
  'outcome.KEY_ENCRYPTION_KEY_MISSING.next':
    'Wenden Sie sich an Ihre IT-Abteilung; der Dienst braucht seinen Schlüssel zur Schlüsselverschlüsselung.',
  'outcome.KEY_ENCRYPTION_KEY_INVALID.title': 'Die Anmeldung für andere Apps funktioniert nicht',
  'outcome.KEY_ENCRYPTION_KEY_INVALID.what':
    'Der Anmeldedienst kann den Schlüssel nicht verwenden, mit dem er Nachweise für andere Apps signiert.',
  'outcome.KEY_ENCRYPTION_KEY_INVALID.next':
    'Wenden Sie sich an Ihre IT-Abteilung; die Schlüsseldatei des Dienstes muss korrigiert werden.',
  'outcome.INTERNAL.title': 'Im Anmeldedienst ist ein Problem aufgetreten',
  'outcome.INTERNAL.what': 'Im Anmeldedienst ist etwas Unerwartetes schiefgegangen.',
  'outcome.INTERNAL.next':
    'Versuchen Sie es später noch einmal. Wenn es weiterhin auftritt, nennen Sie Ihrer IT-Abteilung den Zeitpunkt.',
  'outcome.BROWSER_NO_CREDENTIALS.title': 'Windows hat Ihre Anmeldung nicht gesendet',
  'outcome.BROWSER_NO_CREDENTIALS.what':
    'Der Browser von Outlook wurde nach Ihrer Windows-Anmeldung gefragt, hat sie aber nicht angeboten. Browser tun das nur für Websites, die für die Windows-Authentifizierung freigegeben sind, und {site} gehört noch nicht dazu.',
  'outcome.BROWSER_NO_CREDENTIALS.next':
    'Bitten Sie Ihre IT-Abteilung, {site} der Zone „Lokales Intranet“ (Gruppenrichtlinie „Liste der Site zu Zonenzuweisungen“) und der Richtlinie AuthServerAllowlist für Microsoft Edge WebView2 hinzuzufügen, und starten Sie Outlook dann neu.',
  'outcome.NETWORK_FAILURE.title': 'Keine Verbindung zum Anmeldedienst',
  'outcome.NETWORK_FAILURE.what': 'Outlook konnte den Anmeldedienst unter {site} nicht erreichen.',
  'outcome.NETWORK_FAILURE.next':
    'Prüfen Sie, ob Sie mit dem Netzwerk Ihrer Organisation oder dem VPN verbunden sind, und wählen Sie dann „Erneut versuchen“. Haben Kolleginnen und Kollegen dasselbe Problem, informieren Sie Ihre IT-Abteilung.',
  'outcome.UNEXPECTED_RESPONSE.title': 'Der Anmeldedienst hat unerwartet geantwortet',
  'outcome.UNEXPECTED_RESPONSE.what':
    'Die Antwort war nicht lesbar. Möglicherweise hat ein Proxy zwischen Outlook und dem Dienst sie verändert.',
  'outcome.UNEXPECTED_RESPONSE.whatHttp':
    'Die Antwort war nicht lesbar (HTTP {status}). Möglicherweise hat ein Proxy zwischen Outlook und dem Dienst sie verändert.',
  'outcome.UNEXPECTED_RESPONSE.next':
    'Versuchen Sie es später noch einmal. Wenn es weiterhin auftritt, wenden Sie sich an Ihre IT-Abteilung.',
  'outcome.OFFICE_365.title': 'Office 365-Postfächer können die Windows-Anmeldung nicht nutzen',
  'outcome.OFFICE_365.what':
    '{mailbox} liegt in Office 365 (Exchange Online). Die Windows-Anmeldung funktioniert hier nur mit den eigenen Exchange-Servern Ihrer Organisation.',
  'outcome.OFFICE_365.next':
    'Verwenden Sie unten eine andere Anmeldemethode, falls Ihre IT eine aktiviert hat.',
  'outcome.CONSUMER_ACCOUNT.title': 'Dies ist kein geschäftliches Postfach',
  'outcome.CONSUMER_ACCOUNT.what':
    '{mailbox} ist ein privates Konto bei Outlook.com oder Gmail. Diese Anmeldemethoden sind für das Exchange-Postfach Ihrer Organisation gedacht.',
  'outcome.CONSUMER_ACCOUNT.next':
    'Öffnen Sie Outlook mit Ihrem geschäftlichen Postfach und versuchen Sie es erneut.',
  'outcome.HOST_TOKEN_UNAVAILABLE.title': 'Outlook hat kein Identitätstoken bereitgestellt',
  'outcome.HOST_TOKEN_UNAVAILABLE.what':
    'Diese Outlook-Version oder Ihr Exchange-Server hat kein Exchange-Identitätstoken ausgegeben.',
  'outcome.HOST_TOKEN_UNAVAILABLE.next':
    'Melden Sie sich stattdessen mit Windows oder Ihrem Kennwort an. Für Admins: Identitätstoken erfordern Exchange 2013 oder neuer.',
} as const satisfies Catalogue;

export default de;
