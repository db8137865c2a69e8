import type { Catalogue } from './en.ts';

/** Français. Vouvoiement ; termes de l’interface française de Windows et d’Exchange ; espaces insécables avant « : ». */
const fr = {
  'product.name': 'Outlook IWA',
  'document.title': '{view} – {product}',

  'status.starting': 'Connexion à Outlook IWA en cours…',
  'status.signedIn': 'Connecté en tant que {mailbox}.',
  'status.failed': 'La connexion a échoué : vous n’êtes pas connecté.',
  'status.signedOut': 'Déconnecté d’Outlook IWA.',

  'startup.heading': 'Connexion',
  'startup.step.office': 'Connexion à Outlook…',
  'startup.step.session': 'Vérification de votre session…',
  'startup.step.methods': 'Recherche de vos méthodes de connexion…',
  'startup.step.iwa': 'Connexion avec votre compte Windows…',
  'startup.step.identityToken': 'Connexion avec le jeton d’identité d’Outlook…',
  'startup.step.password': 'Connexion avec votre mot de passe…',

  'notification.failed':
    'Outlook IWA n’a pas pu vous connecter. Ouvrez le volet Outlook IWA pour résoudre le problème.',
  'notification.action': 'Réparer la connexion',

  'host.title': 'Ouvrir dans Outlook',
  'host.heading': 'Ouvrez cette page depuis Outlook',
  'host.notLoaded':
    'La bibliothèque de compléments d’Outlook n’a pas pu être chargée depuis le service de connexion.',
  'host.notInOutlook': 'Cette page est le complément Outlook IWA. Elle ne fonctionne que dans Outlook.',
  'host.next':
    'Ouvrez un message dans Outlook et choisissez Outlook IWA dans le ruban. Si le problème persiste dans Outlook, prévenez votre service informatique.',

  'settings.heading': 'Paramètres d’authentification',
  'settings.notSignedIn': 'Vous n’êtes pas connecté.',
  'settings.failureTitle': '{title}.',
  'settings.fixSignIn': 'Réparer la connexion',
  'settings.signedOut': 'Vous êtes déconnecté.',
  'settings.signIn': 'Se connecter',
  'settings.signingIn': 'Connexion en cours…',
  'settings.session': 'Votre session',
  'settings.signedInAs': 'Connecté en tant que',
  'settings.method': 'Méthode',
  'settings.mechanism': 'Mécanisme',
  'settings.expires': 'Expiration de la session',
  'settings.signOut': 'Se déconnecter',
  'settings.methods': 'Méthodes de connexion',
  'settings.help': 'Aide à la connexion',

  'mechanism.kerberos': 'Kerberos',
  'mechanism.ntlm': 'NTLM',

  'card.status': 'État :',
  'card.badge.active': 'Active',
  'card.badge.available': 'Disponible',
  'card.badge.notEnabled': 'Non activée par votre administrateur',
  'card.badge.notPossible': 'Impossible ici',
  'card.badge.failed': 'Échec',
  'card.notEnabled': 'Votre administrateur n’a pas activé cette méthode pour votre boîte aux lettres.',
  'card.fixLabel': '{action} : {method}',
  'card.checksFor': 'Vérifications pour {method}',
  'card.runningChecks': 'Vérifications en cours…',
  'card.retrying': 'Nouvelle tentative de connexion…',
  'card.fixed': 'Réparé : vous êtes connecté.',
  'card.checkFailed':
    'Une vérification a échoué. Suivez son conseil « Que faire », puis choisissez à nouveau « {action} ».',

  'method.iwa.title': 'Connexion Windows (IWA)',
  'method.iwa.summary': 'Vous connecte avec votre compte Windows, sans mot de passe.',
  'method.iwa.fix': 'Réparer',
  'method.identityToken.title': 'Jeton d’identité Exchange',
  'method.identityToken.summary':
    'Vous reconnecte automatiquement avec un jeton fourni par Outlook, après une première connexion par une autre méthode.',
  'method.identityToken.fix': 'Réparer',
  'method.password.title': 'Mot de passe du domaine',
  'method.password.summary':
    'Saisissez une fois votre mot de passe Windows. Exchange le vérifie ; il n’est jamais enregistré.',
  'method.password.fix': 'Se connecter avec un mot de passe',
  'method.office365.iwa':
    'Votre boîte aux lettres est dans Office 365 (Exchange Online). La connexion Windows ne fonctionne qu’avec les serveurs Exchange de votre organisation.',
  'method.office365.identityToken':
    'Votre boîte aux lettres est dans Office 365 (Exchange Online). Le jeton d’identité Exchange ne fonctionne qu’avec les serveurs Exchange de votre organisation.',
  'method.office365.password':
    'Votre boîte aux lettres est dans Office 365 (Exchange Online). La connexion par mot de passe du domaine ne fonctionne qu’avec les serveurs Exchange de votre organisation.',
  'method.consumer':
    'Il s’agit d’un compte personnel (Outlook.com ou Gmail), pas d’une boîte aux lettres professionnelle.',

  'step.passed': '{name} : réussi',
  'step.failed': '{name} : échec',
  'step.warned': '{name} : réussi, avec un avertissement',
  'step.remedy': 'Que faire : {remedy}',
  'step.profile': 'Profil de connexion',
  'step.dns': 'Nom du serveur Exchange (DNS)',
  'step.tcp': 'Connexion à Exchange',
  'step.tls': 'Certificat Exchange (TLS)',
  'step.negotiate': 'Authentification Windows proposée par Exchange',
  'step.extendedProtection': 'Protection étendue',
  'step.token.name': 'Outlook fournit un jeton d’identité',
  'step.token.ok': 'Outlook a fourni un jeton.',
  'step.token.missing': 'Outlook n’a pas fourni de jeton d’identité.',
  'step.token.remedy': 'Utilisez plutôt la connexion Windows ou votre mot de passe.',

  'outcome.whatHappened': 'Ce qui s’est passé',
  'outcome.whoCanFix': 'Qui peut résoudre le problème',
  'outcome.nextStep': 'Étape suivante',
  'fixer.you': 'Vous',
  'fixer.admin': 'Votre service informatique',
  'fixer.youThenAdmin': 'Vous d’abord ; votre service informatique si cela ne suffit pas',
  'fixer.nobody': 'Personne : votre boîte aux lettres est configurée ainsi',

  'password.formLabel': 'Se connecter avec le mot de passe du domaine',
  'password.username': 'Nom d’utilisateur Windows',
  'password.usernameHint': 'Par exemple CORP\\alice ou alice@corp.test',
  'password.password': 'Mot de passe',
  'password.show': 'Afficher le mot de passe',
  'password.submit': 'Se connecter',
  'password.signingIn': 'Connexion en cours…',
  'password.enterUsername': 'Saisissez votre nom d’utilisateur Windows.',
  'password.enterPassword': 'Saisissez votre mot de passe.',
  'password.wrong': 'Le nom d’utilisateur ou le mot de passe est incorrect.',
  'password.mismatch': '{what} Utilisez le compte de {mailbox}.',
  'password.badUsername':
    'Saisissez votre nom d’utilisateur Windows, par exemple CORP\\alice ou alice@corp.test.',
  'password.formError': '{title}. {next}',

  'wizard.title': 'Aide à la connexion',
  'wizard.heading': 'Aide à la connexion',
  'wizard.opening': 'Ouverture de l’aide à la connexion…',
  'wizard.step1': '1. Votre configuration',
  'wizard.setupChecks': 'Vérifications de la configuration',
  'wizard.checkingSetup': 'Vérification de votre configuration…',
  'wizard.step2': '2. Connexion Windows',
  'wizard.iwaTrying': 'Connexion avec votre compte Windows…',
  'wizard.iwaProgress': 'Connexion avec votre compte Windows',
  'wizard.iwaSkipped': 'Non essayée : elle ne peut pas fonctionner ici (voir ci-dessous).',
  'wizard.iwaWorked': 'La connexion Windows a fonctionné.',
  'wizard.iwaFailed': 'La connexion Windows n’a pas fonctionné.',
  'wizard.tryAgain': 'Réessayer',
  'wizard.step3': '3. Ce qui s’est passé',
  'wizard.step4': '4. Autres moyens de connexion',
  'wizard.noAlternatives':
    'Aucune autre méthode de connexion n’est activée pour votre boîte aux lettres. Votre administrateur peut en activer une.',
  'wizard.identityTokenButton': 'Se connecter avec le jeton d’identité d’Outlook',
  'wizard.signingIn': 'Connexion en cours…',
  'wizard.done': 'Terminé',
  'wizard.signedIn': 'Vous êtes connecté en tant que {mailbox} avec la méthode {method}.',
  'wizard.close': 'Fermer',
  'wizard.back': 'Retour aux paramètres d’authentification',
  'wizard.setup.mailbox': 'Boîte aux lettres Outlook',
  'wizard.setup.where': 'Emplacement de votre boîte aux lettres',
  'wizard.setup.onPremises': 'Votre boîte aux lettres est sur les serveurs Exchange de votre organisation.',
  'wizard.setup.office365':
    'Votre boîte aux lettres est dans Office 365 (Exchange Online) : la connexion Windows n’y est pas prise en charge.',
  'wizard.setup.consumer': 'Il s’agit d’un compte personnel Outlook.com ou Gmail.',
  'wizard.setup.unknown':
    'Outlook n’a pas indiqué où se trouve votre boîte aux lettres ; nous supposons qu’elle est sur vos propres serveurs Exchange.',
  'wizard.setup.profile': 'Profil de connexion',
  'wizard.setup.profileFailed':
    'Le service de connexion n’a pas pu déterminer les méthodes autorisées pour vous.',
  'wizard.setup.profileFound': 'trouvé',
  'wizard.setup.iwaEnabled': 'Connexion Windows activée par votre administrateur',
  'wizard.setup.yes': 'Oui',
  'wizard.setup.no': 'Non',

  'outcome.anotherWay':
    'En attendant, connectez-vous autrement si une autre méthode est proposée ci-dessous.',
  'outcome.generic.title': 'Un problème est survenu',
  'outcome.generic.what': 'Le service de connexion a signalé un problème (code {code}).',
  'outcome.generic.whatHttp': 'Le service de connexion a signalé un problème (code {code}, HTTP {status}).',
  'outcome.generic.next':
    'Réessayez plus tard. Si le problème persiste, communiquez le code {code} à votre service informatique.',

  'outcome.CAS_NO_NEGOTIATE.title': 'Exchange ne propose pas la connexion Windows',
  'outcome.CAS_NO_NEGOTIATE.what':
    'Sur le serveur Exchange de votre organisation, l’authentification Windows est désactivée pour les services web Exchange.',
  'outcome.CAS_NO_NEGOTIATE.whatOffered':
    'Sur le serveur Exchange de votre organisation, l’authentification Windows est désactivée pour les services web Exchange (seul est proposé : {offered}).',
  'outcome.CAS_NO_NEGOTIATE.next':
    'Demandez à votre administrateur Exchange d’activer l’authentification Windows (Negotiate) sur le répertoire virtuel EWS dans IIS. {anotherWay}',
  'outcome.AUTH_REJECTED.title': 'Exchange n’a pas accepté votre connexion Windows',
  'outcome.AUTH_REJECTED.what':
    'Exchange a refusé les informations d’identification envoyées par Windows. En général, ce PC n’est pas joint au domaine de votre organisation, vous êtes connecté à Windows avec un compte local, ou votre compte est verrouillé ou désactivé.',
  'outcome.AUTH_REJECTED.next':
    'Connectez-vous à Windows avec votre compte professionnel sur un PC du domaine de votre organisation, puis choisissez Réessayer. Si c’est déjà le cas, demandez à votre service informatique de vérifier votre compte.',
  'outcome.EXTENDED_PROTECTION_SUSPECTED.title': 'La protection étendue d’Exchange a bloqué la connexion',
  'outcome.EXTENDED_PROTECTION_SUSPECTED.what':
    'Exchange vérifie qu’une connexion Windows a été faite pour son propre certificat (protection étendue). Notre service de connexion utilise un autre certificat : Exchange a donc refusé la connexion.',
  'outcome.EXTENDED_PROTECTION_SUSPECTED.next':
    'Demandez à votre administrateur Exchange de servir le service de connexion avec le certificat du serveur Exchange, ou de désactiver la protection étendue sur le répertoire virtuel EWS frontal. {anotherWay}',
  'outcome.IDENTITY_MISMATCH.title': 'Vous êtes connecté à Windows sous une autre identité',
  'outcome.IDENTITY_MISMATCH.what':
    'Windows a prouvé la boîte aux lettres {proven}, mais Outlook est ouvert pour {claimed}.',
  'outcome.IDENTITY_MISMATCH.whatUnknown':
    'Windows a prouvé la boîte aux lettres d’un autre utilisateur, mais Outlook est ouvert pour {claimed}.',
  'outcome.IDENTITY_MISMATCH.next':
    'Connectez-vous à Windows en tant que titulaire de {claimed}, ou connectez-vous ci-dessous avec le mot de passe de {claimed}.',
  'outcome.CAS_UNREACHABLE.title': 'Le serveur Exchange est injoignable',
  'outcome.CAS_UNREACHABLE.what':
    'Notre service de connexion n’a pas pu joindre le serveur Exchange de votre organisation.',
  'outcome.CAS_UNREACHABLE.next':
    'Demandez à votre service informatique de vérifier l’adresse Exchange du profil d’authentification, le DNS et le pare-feu entre le service de connexion et Exchange. Réessayez ensuite.',
  'outcome.CAS_TLS_UNTRUSTED.title': 'Le certificat d’Exchange n’est pas approuvé',
  'outcome.CAS_TLS_UNTRUSTED.what':
    'Le service de connexion n’a pas pu vérifier le certificat du serveur Exchange ; il s’est arrêté pour votre sécurité.',
  'outcome.CAS_TLS_UNTRUSTED.next':
    'Demandez à votre service informatique d’ajouter au profil d’authentification l’autorité de certification qui a émis le certificat d’Exchange, ou de renouveler ce certificat.',
  'outcome.CAS_PROTOCOL_ERROR.title': 'Exchange a répondu de façon inattendue',
  'outcome.CAS_PROTOCOL_ERROR.what':
    'Le service de connexion a bien joint Exchange, mais la réponse ne ressemblait pas à celle des services web Exchange.',
  'outcome.CAS_PROTOCOL_ERROR.next':
    'Demandez à votre service informatique de vérifier que l’URL Exchange du profil se termine par /EWS/Exchange.asmx et qu’aucun proxy ne la réécrit.',
  'outcome.PROFILE_NOT_FOUND.title': 'La connexion n’est pas configurée pour votre boîte aux lettres',
  'outcome.PROFILE_NOT_FOUND.what': 'Aucun profil d’authentification ne couvre {mailbox}.',
  'outcome.PROFILE_NOT_FOUND.next':
    'Demandez à votre service informatique de créer un profil d’authentification par défaut, ou un profil qui inclut votre domaine de messagerie.',
  'outcome.METHOD_DISABLED.title': 'Cette méthode de connexion est désactivée pour vous',
  'outcome.METHOD_DISABLED.what':
    'Votre administrateur n’a pas activé cette méthode de connexion dans votre profil d’authentification.',
  'outcome.METHOD_DISABLED.next':
    'Demandez à votre service informatique de l’activer, ou utilisez une autre méthode ci-dessous.',
  'outcome.RATE_LIMITED.title': 'Trop de tentatives de connexion',
  'outcome.RATE_LIMITED.what':
    'Pour éviter le verrouillage de votre compte, le service de connexion suspend un moment les tentatives pour votre boîte aux lettres ou cet ordinateur.',
  'outcome.RATE_LIMITED.next': 'Patientez quelques minutes, puis choisissez Réessayer une seule fois.',
  'outcome.HANDSHAKE_INVALID.title': 'La connexion Windows a été interrompue',
  'outcome.HANDSHAKE_INVALID.what':
    'L’échange de connexion entre Outlook et notre service ne s’est pas déroulé dans l’ordre. Un proxy ou un équilibreur de charge qui mélange les connexions peut en être la cause.',
  'outcome.HANDSHAKE_INVALID.next':
    'Choisissez Réessayer une fois. Si cela se reproduit, demandez à votre service informatique de rendre le service de connexion accessible en HTTP/1.1 avec affinité de connexion (sans proxy qui partage les connexions).',
  'outcome.HANDSHAKE_CAPACITY.title': 'Le service de connexion est occupé',
  'outcome.HANDSHAKE_CAPACITY.what': 'Trop de personnes se connectent en ce moment.',
  'outcome.HANDSHAKE_CAPACITY.next': 'Patientez une minute, puis choisissez Réessayer.',
  'outcome.NEGOTIATE.title': 'La connexion Windows ne s’est pas poursuivie',
  'outcome.NEGOTIATE.what':
    'Le service de connexion a demandé à votre navigateur de poursuivre la connexion Windows, mais il n’a pas répondu.',
  'outcome.NEGOTIATE.next':
    'Réessayez. Si cela se reproduit, demandez à votre service informatique de vérifier que {site} est approuvé pour l’authentification Windows.',
  'outcome.HANDSHAKE_ABANDONED.title': 'La connexion Windows est restée inachevée',
  'outcome.HANDSHAKE_ABANDONED.what':
    'Votre navigateur a interrompu la connexion Windows avant la fin, généralement faute de connexion Windows à proposer.',
  'outcome.HANDSHAKE_ABANDONED.next': 'Réessayez. Si cela se reproduit, prévenez votre service informatique.',
  'outcome.REQUEST_TOO_LARGE.title': 'Votre connexion Windows était trop volumineuse',
  'outcome.REQUEST_TOO_LARGE.what':
    'La connexion envoyée par Windows dépassait la taille acceptée par le service de connexion. Les très gros tickets Kerberos (nombreuses appartenances à des groupes) en sont la cause.',
  'outcome.REQUEST_TOO_LARGE.next':
    'Demandez à votre service informatique d’augmenter la taille maximale des en-têtes du service de connexion et de tout proxy placé devant.',
  'outcome.IDENTITY_TOKEN_INVALID.title': 'Le jeton d’identité d’Outlook a été refusé',
  'outcome.IDENTITY_TOKEN_INVALID.what':
    'Le service de connexion n’a pas pu valider le jeton d’identité d’Outlook.',
  'outcome.IDENTITY_TOKEN_INVALID.whatReason':
    'Le service de connexion n’a pas pu valider le jeton d’identité d’Outlook (contrôle en échec : {reason}).',
  'outcome.IDENTITY_TOKEN_INVALID.next':
    'Utilisez une autre méthode de connexion. Administrateurs : vérifiez que le profil fait confiance à votre serveur Exchange et que les horloges des serveurs sont synchronisées.',
  'outcome.IDENTITY_TOKEN_UNBOUND.title':
    'Connectez-vous d’abord une fois avec Windows ou votre mot de passe',
  'outcome.IDENTITY_TOKEN_UNBOUND.what':
    'Le jeton d’identité d’Outlook n’est pas encore lié à votre boîte aux lettres. Il l’est lors de votre première connexion avec Windows ou votre mot de passe.',
  'outcome.IDENTITY_TOKEN_UNBOUND.next':
    'Connectez-vous une fois avec Windows ou votre mot de passe. Ensuite, cette méthode vous connectera automatiquement.',
  'outcome.SESSION_INVALID.title': 'Votre session est terminée',
  'outcome.SESSION_INVALID.what': 'Votre session a expiré ou a été fermée.',
  'outcome.SESSION_INVALID.next': 'Reconnectez-vous.',
  'outcome.MAILBOX_INVALID.title': 'Outlook a fourni une adresse de boîte aux lettres inutilisable',
  'outcome.MAILBOX_INVALID.what':
    'L’adresse qu’Outlook indique pour votre boîte aux lettres n’est pas une adresse e-mail valide.',
  'outcome.MAILBOX_INVALID.next':
    'Prévenez votre service informatique ; le profil Outlook est peut-être mal configuré.',
  'outcome.INPUT_INVALID.title': 'La demande de connexion n’a pas été acceptée',
  'outcome.INPUT_INVALID.what':
    'Le service de connexion n’a pas pu utiliser ce qui a été envoyé, par exemple un nom d’utilisateur mal formé.',
  'outcome.INPUT_INVALID.next':
    'Vérifiez votre saisie et réessayez. Si le problème persiste, prévenez votre service informatique.',
  'outcome.NOT_FOUND.title': 'Le service de connexion ne connaît pas cette demande',
  'outcome.NOT_FOUND.what':
    'Le service de connexion n’a pas cette page ou cette entrée. Sa version est peut-être plus récente ou plus ancienne que ce volet.',
  'outcome.NOT_FOUND.next':
    'Fermez puis rouvrez le volet. Si le problème persiste, prévenez votre service informatique.',
  'outcome.CONFLICT.title': 'Le service de connexion traite une modification',
  'outcome.CONFLICT.what': 'Quelqu’un a modifié le même paramètre au même moment.',
  'outcome.CONFLICT.next': 'Patientez un instant, puis réessayez.',
  'outcome.ADMIN_UNAUTHORIZED.title': 'Des droits d’administrateur sont nécessaires',
  'outcome.ADMIN_UNAUTHORIZED.what':
    'La demande nécessite les identifiants d’administration du service de connexion.',
  'outcome.ADMIN_UNAUTHORIZED.next':
    'Vous n’avez rien à faire ici. Si ce message apparaît dans le volet, prévenez votre service informatique.',
  'outcome.DATABASE_UNAVAILABLE.title': 'Le service de connexion n’accède pas à sa base de données',
  'outcome.DATABASE_UNAVAILABLE.what':
    'Le service de connexion fonctionne, mais sa base de données est indisponible pour le moment.',
  'outcome.DATABASE_UNAVAILABLE.next':
    'Réessayez dans quelques minutes. Si le problème persiste, prévenez votre service informatique.',
  'outcome.SCHEMA_TOO_NEW.title': 'Le service de connexion doit être mis à jour',
  'outcome.SCHEMA_TOO_NEW.what':
    'La base de données du service de connexion a été créée par une version plus récente du service.',
  'outcome.SCHEMA_TOO_NEW.next':
    'Prévenez votre service informatique : le service doit être mis à jour pour correspondre à sa base de données.',
  'outcome.CONFIG_INVALID.title': 'Le service de connexion est mal configuré',
  'outcome.CONFIG_INVALID.what': 'Un paramètre du service de connexion est absent ou incorrect.',
  'outcome.CONFIG_INVALID.next':
    'Prévenez votre service informatique ; les paramètres du service doivent être corrigés.',
  'outcome.REQUEST_TIMEOUT.title': 'La demande a pris trop de temps',
  'outcome.REQUEST_TIMEOUT.what':
    'Votre ordinateur a envoyé la demande trop lentement, le service de connexion a donc cessé d’attendre.',
  'outcome.REQUEST_TIMEOUT.next': 'Réessayez. Si le problème persiste, contactez votre service informatique.',
  'outcome.TLS_CERT_REQUIRED.title': 'Le service de connexion n’a pas de certificat',
  'outcome.TLS_CERT_REQUIRED.what': 'Le service a été démarré sans son certificat HTTPS.',
  'outcome.TLS_CERT_REQUIRED.next':
    'Contactez votre service informatique : le service a besoin de son certificat pour fonctionner.',
  'outcome.AUDIENCE_UNKNOWN.title': 'Cette application n’est pas enregistrée pour la connexion',
  'outcome.AUDIENCE_UNKNOWN.what':
    'Une application a demandé un justificatif de connexion que le service ne connaît pas.',
  'outcome.AUDIENCE_UNKNOWN.next':
    'Contactez votre service informatique : l’application doit être enregistrée auprès du service de connexion.',
  'outcome.CLIENT_UNAUTHORIZED.title': 'Une application n’a pas pu vérifier votre connexion',
  'outcome.CLIENT_UNAUTHORIZED.what':
    'Les identifiants qu’une application utilise pour vérifier les connexions ont été refusés.',
  'outcome.CLIENT_UNAUTHORIZED.next':
    'Contactez votre service informatique : les identifiants de l’application doivent être renouvelés.',
  'outcome.KEY_ENCRYPTION_KEY_MISSING.title': 'La connexion aux autres applications est désactivée',
  'outcome.KEY_ENCRYPTION_KEY_MISSING.what':
    'Le service de connexion n’a pas de clé pour signer les justificatifs destinés aux autres applications.',
  'outcome.KEY_ENCRYPTION_KEY_MISSING.next':
    'Contactez votre service informatique : le service a besoin de sa clé de chiffrement des clés.',
  'outcome.KEY_ENCRYPTION_KEY_INVALID.title': 'La connexion aux autres applications ne fonctionne pas',
  'outcome.KEY_ENCRYPTION_KEY_INVALID.what':
    'Le service de connexion ne peut pas utiliser la clé avec laquelle il signe les justificatifs des autres applications.',
  'outcome.KEY_ENCRYPTION_KEY_INVALID.next':
    'Contactez votre service informatique : le fichier de clé du service doit être corrigé.',
  'outcome.INTERNAL.title': 'Le service de connexion a rencontré un problème',
  'outcome.INTERNAL.what': 'Une erreur inattendue s’est produite dans le service de connexion.',
  'outcome.INTERNAL.next':
    'Réessayez plus tard. Si le problème persiste, indiquez à votre service informatique l’heure à laquelle il s’est produit.',
  'outcome.BROWSER_NO_CREDENTIALS.title': 'Windows n’a pas envoyé votre connexion',
  'outcome.BROWSER_NO_CREDENTIALS.what':
    'Le navigateur d’Outlook a été invité à fournir votre connexion Windows, mais ne l’a pas fait. Les navigateurs ne le font que pour les sites approuvés pour l’authentification Windows, et {site} n’en fait pas encore partie.',
  'outcome.BROWSER_NO_CREDENTIALS.next':
    'Demandez à votre service informatique d’ajouter {site} à la zone Intranet local (stratégie de groupe « Liste des attributions de sites aux zones ») et à la stratégie AuthServerAllowlist de Microsoft Edge WebView2, puis redémarrez Outlook.',
  'outcome.NETWORK_FAILURE.title': 'Pas de connexion au service de connexion',
  'outcome.NETWORK_FAILURE.what': 'Outlook n’a pas pu joindre le service de connexion à l’adresse {site}.',
  'outcome.NETWORK_FAILURE.next':
    'Vérifiez que vous êtes connecté au réseau de votre organisation ou au VPN, puis choisissez Réessayer. Si vos collègues ont le même problème, prévenez votre service informatique.',
  'outcome.UNEXPECTED_RESPONSE.title': 'Le service de connexion a répondu de façon inattendue',
  'outcome.UNEXPECTED_RESPONSE.what':
    'La réponse était illisible. Un proxy entre Outlook et le service l’a peut-être modifiée.',
  'outcome.UNEXPECTED_RESPONSE.whatHttp':
    'La réponse était illisible (HTTP {status}). Un proxy entre Outlook et le service l’a peut-être modifiée.',
  'outcome.UNEXPECTED_RESPONSE.next':
    'Réessayez plus tard. Si le problème persiste, prévenez votre service informatique.',
  'outcome.OFFICE_365.title':
    'Les boîtes aux lettres Office 365 ne peuvent pas utiliser la connexion Windows',
  'outcome.OFFICE_365.what':
    '{mailbox} est dans Office 365 (Exchange Online). Ici, la connexion Windows ne fonctionne qu’avec les serveurs Exchange de votre organisation.',
  'outcome.OFFICE_365.next':
    'Utilisez une autre méthode de connexion ci-dessous si votre administrateur en a activé une.',
  'outcome.CONSUMER_ACCOUNT.title': 'Ce n’est pas une boîte aux lettres professionnelle',
  'outcome.CONSUMER_ACCOUNT.what':
    '{mailbox} est un compte personnel Outlook.com ou Gmail. Ces méthodes de connexion sont destinées à la boîte aux lettres Exchange de votre organisation.',
  'outcome.CONSUMER_ACCOUNT.next':
    'Ouvrez Outlook avec votre boîte aux lettres professionnelle et réessayez.',
  'outcome.HOST_TOKEN_UNAVAILABLE.title': 'Outlook n’a pas fourni de jeton d’identité',
  'outcome.HOST_TOKEN_UNAVAILABLE.what':
    'Cette version d’Outlook, ou votre serveur Exchange, n’a pas fourni de jeton d’identité Exchange.',
  'outcome.HOST_TOKEN_UNAVAILABLE.next':
    'Utilisez plutôt la connexion Windows ou votre mot de passe. Administrateurs : les jetons d’identité nécessitent Exchange 2013 ou version ultérieure.',
} as const satisfies Catalogue;

export default fr;
