import type { Catalogue } from './en.ts';

/** Español neutro. Trato de usted; términos de la interfaz española de Windows y Exchange. */
const es = {
  'product.name': 'Outlook IWA',
  'document.title': '{view} – {product}',

  'status.starting': 'Iniciando sesión en Outlook IWA…',
  'status.signedIn': 'Sesión iniciada como {mailbox}.',
  'status.failed': 'El inicio de sesión no funcionó: no tiene la sesión iniciada.',
  'status.signedOut': 'Sesión de Outlook IWA cerrada.',

  'startup.heading': 'Inicio de sesión',
  'startup.step.office': 'Conectando con Outlook…',
  'startup.step.session': 'Comprobando su sesión…',
  'startup.step.methods': 'Buscando sus métodos de inicio de sesión…',
  'startup.step.iwa': 'Iniciando sesión con su cuenta de Windows…',
  'startup.step.identityToken': 'Iniciando sesión con el token de identidad de Outlook…',
  'startup.step.password': 'Iniciando sesión con su contraseña…',

  'notification.failed':
    'Outlook IWA no pudo iniciar su sesión. Abra el panel de Outlook IWA para solucionarlo.',
  'notification.action': 'Solucionar inicio de sesión',

  'host.title': 'Abrir en Outlook',
  'host.heading': 'Abra esto desde Outlook',
  'host.notLoaded':
    'No se pudo cargar la biblioteca de complementos de Outlook desde el servicio de inicio de sesión.',
  'host.notInOutlook': 'Esta página es el complemento Outlook IWA. Solo funciona dentro de Outlook.',
  'host.next':
    'Abra un mensaje en Outlook y elija Outlook IWA en la cinta. Si esto sigue ocurriendo dentro de Outlook, avise a su departamento de TI.',

  'settings.heading': 'Configuración de autenticación',
  'settings.notSignedIn': 'No ha iniciado sesión.',
  'settings.failureTitle': '{title}.',
  'settings.fixSignIn': 'Solucionar inicio de sesión',
  'settings.signedOut': 'Ha cerrado la sesión.',
  'settings.signIn': 'Iniciar sesión',
  'settings.signingIn': 'Iniciando sesión…',
  'settings.session': 'Su sesión',
  'settings.signedInAs': 'Sesión iniciada como',
  'settings.method': 'Método',
  'settings.mechanism': 'Mecanismo',
  'settings.expires': 'La sesión caduca',
  'settings.signOut': 'Cerrar sesión',
  'settings.methods': 'Métodos de inicio de sesión',
  'settings.help': 'Ayuda para iniciar sesión',

  'mechanism.kerberos': 'Kerberos',
  'mechanism.ntlm': 'NTLM',

  'card.status': 'Estado:',
  'card.badge.active': 'Activo',
  'card.badge.available': 'Disponible',
  'card.badge.notEnabled': 'No habilitado por su administrador',
  'card.badge.notPossible': 'No es posible aquí',
  'card.badge.failed': 'Error',
  'card.notEnabled': 'Su administrador no ha habilitado este método para su buzón.',
  'card.fixLabel': '{action}: {method}',
  'card.checksFor': 'Comprobaciones de {method}',
  'card.runningChecks': 'Realizando comprobaciones…',
  'card.retrying': 'Volviendo a iniciar sesión…',
  'card.fixed': 'Solucionado: ha iniciado sesión.',
  'card.checkFailed':
    'Una comprobación ha fallado. Siga su «Qué hacer» y, después, vuelva a elegir «{action}».',

  'method.iwa.title': 'Inicio de sesión de Windows (IWA)',
  'method.iwa.summary': 'Inicia su sesión con su cuenta de Windows, sin contraseña.',
  'method.iwa.fix': 'Solucionar',
  'method.identityToken.title': 'Token de identidad de Exchange',
  'method.identityToken.summary':
    'Vuelve a iniciar su sesión automáticamente con un token de Outlook, una vez que haya iniciado sesión de otra forma.',
  'method.identityToken.fix': 'Solucionar',
  'method.password.title': 'Contraseña del dominio',
  'method.password.summary':
    'Escriba una vez su contraseña de Windows. La comprueba Exchange y nunca se guarda.',
  'method.password.fix': 'Iniciar sesión con contraseña',
  'method.office365.iwa':
    'Su buzón está en Office 365 (Exchange Online). El inicio de sesión de Windows solo funciona con los servidores Exchange propios de su organización.',
  'method.office365.identityToken':
    'Su buzón está en Office 365 (Exchange Online). El token de identidad de Exchange solo funciona con los servidores Exchange propios de su organización.',
  'method.office365.password':
    'Su buzón está en Office 365 (Exchange Online). El inicio de sesión con la contraseña del dominio solo funciona con los servidores Exchange propios de su organización.',
  'method.consumer': 'Esta es una cuenta personal (Outlook.com o Gmail), no un buzón del trabajo.',

  'step.passed': '{name}: correcto',
  'step.failed': '{name}: con errores',
  'step.warned': '{name}: correcto, con una advertencia',
  'step.remedy': 'Qué hacer: {remedy}',
  'step.profile': 'Perfil de inicio de sesión',
  'step.dns': 'Nombre del servidor Exchange (DNS)',
  'step.tcp': 'Conexión con Exchange',
  'step.tls': 'Certificado de Exchange (TLS)',
  'step.negotiate': 'Autenticación de Windows ofrecida por Exchange',
  'step.extendedProtection': 'Protección extendida',
  'step.token.name': 'Outlook proporciona un token de identidad',
  'step.token.ok': 'Outlook entregó un token.',
  'step.token.missing': 'Outlook no entregó ningún token de identidad.',
  'step.token.remedy': 'Use en su lugar el inicio de sesión de Windows o su contraseña.',

  'outcome.whatHappened': 'Qué ha pasado',
  'outcome.whoCanFix': 'Quién puede solucionarlo',
  'outcome.nextStep': 'Siguiente paso',
  'fixer.you': 'Usted',
  'fixer.admin': 'Su departamento de TI',
  'fixer.youThenAdmin': 'Primero usted; si no funciona, su departamento de TI',
  'fixer.nobody': 'Nadie: su buzón está configurado así',

  'password.formLabel': 'Iniciar sesión con la contraseña del dominio',
  'password.username': 'Nombre de usuario de Windows',
  'password.usernameHint': 'Por ejemplo, CORP\\alice o alice@corp.test',
  'password.password': 'Contraseña',
  'password.show': 'Mostrar contraseña',
  'password.submit': 'Iniciar sesión',
  'password.signingIn': 'Iniciando sesión…',
  'password.enterUsername': 'Escriba su nombre de usuario de Windows.',
  'password.enterPassword': 'Escriba su contraseña.',
  'password.wrong': 'El nombre de usuario o la contraseña no son correctos.',
  'password.mismatch': '{what} Use la cuenta de {mailbox}.',
  'password.badUsername':
    'Escriba su nombre de usuario de Windows, por ejemplo, CORP\\alice o alice@corp.test.',
  'password.formError': '{title}. {next}',

  'wizard.title': 'Ayuda para iniciar sesión',
  'wizard.heading': 'Ayuda para iniciar sesión',
  'wizard.opening': 'Abriendo la ayuda para iniciar sesión…',
  'wizard.step1': '1. Su configuración',
  'wizard.setupChecks': 'Comprobaciones de la configuración',
  'wizard.checkingSetup': 'Comprobando su configuración…',
  'wizard.step2': '2. Inicio de sesión de Windows',
  'wizard.iwaTrying': 'Iniciando sesión con su cuenta de Windows…',
  'wizard.iwaProgress': 'Iniciando sesión con su cuenta de Windows',
  'wizard.iwaSkipped': 'No se intentó: aquí no puede funcionar (vea más abajo).',
  'wizard.iwaWorked': 'El inicio de sesión de Windows ha funcionado.',
  'wizard.iwaFailed': 'El inicio de sesión de Windows no ha funcionado.',
  'wizard.tryAgain': 'Reintentar',
  'wizard.step3': '3. Qué ha pasado',
  'wizard.step4': '4. Otras formas de iniciar sesión',
  'wizard.noAlternatives':
    'No hay ningún otro método de inicio de sesión habilitado para su buzón. Su administrador puede habilitar uno.',
  'wizard.identityTokenButton': 'Iniciar sesión con el token de identidad de Outlook',
  'wizard.signingIn': 'Iniciando sesión…',
  'wizard.done': 'Listo',
  'wizard.signedIn': 'Ha iniciado sesión como {mailbox} con {method}.',
  'wizard.close': 'Cerrar',
  'wizard.back': 'Volver a Configuración de autenticación',
  'wizard.setup.mailbox': 'Buzón de Outlook',
  'wizard.setup.where': 'Dónde está su buzón',
  'wizard.setup.onPremises': 'Su buzón está en los servidores Exchange propios de su organización.',
  'wizard.setup.office365':
    'Su buzón está en Office 365 (Exchange Online): el inicio de sesión de Windows no es compatible.',
  'wizard.setup.consumer': 'Esta es una cuenta personal de Outlook.com o Gmail.',
  'wizard.setup.unknown':
    'Outlook no indicó dónde está su buzón; se supone que está en sus propios servidores Exchange.',
  'wizard.setup.profile': 'Perfil de inicio de sesión',
  'wizard.setup.profileFailed': 'El servicio de inicio de sesión no pudo determinar qué métodos puede usar.',
  'wizard.setup.profileFound': 'encontrado',
  'wizard.setup.iwaEnabled': 'Inicio de sesión de Windows habilitado por su administrador',
  'wizard.setup.yes': 'Sí',
  'wizard.setup.no': 'No',

  'outcome.anotherWay': 'Mientras tanto, inicie sesión de otra forma si se ofrece alguna más abajo.',
  'outcome.generic.title': 'Algo ha salido mal',
  'outcome.generic.what': 'El servicio de inicio de sesión ha informado de un problema (código {code}).',
  'outcome.generic.whatHttp':
    'El servicio de inicio de sesión ha informado de un problema (código {code}, HTTP {status}).',
  'outcome.generic.next':
    'Vuelva a intentarlo más tarde. Si sigue ocurriendo, comunique el código {code} a su departamento de TI.',

  'outcome.CAS_NO_NEGOTIATE.title': 'Exchange no ofrece el inicio de sesión de Windows',
  'outcome.CAS_NO_NEGOTIATE.what':
    'El servidor Exchange de su organización tiene desactivada la autenticación de Windows para los Servicios web de Exchange.',
  'outcome.CAS_NO_NEGOTIATE.whatOffered':
    'El servidor Exchange de su organización tiene desactivada la autenticación de Windows para los Servicios web de Exchange (solo ofrece: {offered}).',
  'outcome.CAS_NO_NEGOTIATE.next':
    'Pida a su administrador de Exchange que habilite la autenticación de Windows (Negotiate) en el directorio virtual de EWS en IIS. {anotherWay}',
  'outcome.AUTH_REJECTED.title': 'Exchange no aceptó su inicio de sesión de Windows',
  'outcome.AUTH_REJECTED.what':
    'Exchange rechazó las credenciales que envió Windows. Normalmente, este equipo no está unido al dominio de su organización, ha iniciado sesión en Windows con una cuenta local, o su cuenta está bloqueada o deshabilitada.',
  'outcome.AUTH_REJECTED.next':
    'Inicie sesión en Windows con su cuenta del trabajo en un equipo del dominio de su organización y elija Reintentar. Si ya es así, pida a su departamento de TI que revise su cuenta.',
  'outcome.EXTENDED_PROTECTION_SUSPECTED.title':
    'La protección extendida de Exchange bloqueó el inicio de sesión',
  'outcome.EXTENDED_PROTECTION_SUSPECTED.what':
    'Exchange comprueba que el inicio de sesión de Windows se hizo para su propio certificado (protección extendida). Nuestro servicio de inicio de sesión usa otro certificado, así que Exchange lo rechazó.',
  'outcome.EXTENDED_PROTECTION_SUSPECTED.next':
    'Pida a su administrador de Exchange que sirva el servicio de inicio de sesión con el certificado del servidor Exchange o que desactive la protección extendida en el directorio virtual de EWS del front-end. {anotherWay}',
  'outcome.IDENTITY_MISMATCH.title': 'Ha iniciado sesión en Windows como otra persona',
  'outcome.IDENTITY_MISMATCH.what':
    'Windows acreditó el buzón {proven}, pero Outlook está abierto para {claimed}.',
  'outcome.IDENTITY_MISMATCH.whatUnknown':
    'Windows acreditó el buzón de otro usuario, pero Outlook está abierto para {claimed}.',
  'outcome.IDENTITY_MISMATCH.next':
    'Inicie sesión en Windows como titular de {claimed} o inicie sesión abajo con la contraseña de {claimed}.',
  'outcome.CAS_UNREACHABLE.title': 'No se puede acceder al servidor Exchange',
  'outcome.CAS_UNREACHABLE.what':
    'Nuestro servicio de inicio de sesión no pudo conectarse con el servidor Exchange de su organización.',
  'outcome.CAS_UNREACHABLE.next':
    'Pida a su departamento de TI que revise la dirección de Exchange del perfil de autenticación, el DNS y el firewall entre el servicio de inicio de sesión y Exchange. Después, vuelva a intentarlo.',
  'outcome.CAS_TLS_UNTRUSTED.title': 'El certificado de Exchange no es de confianza',
  'outcome.CAS_TLS_UNTRUSTED.what':
    'El servicio de inicio de sesión no pudo verificar el certificado del servidor Exchange y se detuvo para protegerle.',
  'outcome.CAS_TLS_UNTRUSTED.next':
    'Pida a su departamento de TI que añada al perfil de autenticación la entidad de certificación que emitió el certificado de Exchange, o que renueve el certificado.',
  'outcome.CAS_PROTOCOL_ERROR.title': 'Exchange respondió de forma inesperada',
  'outcome.CAS_PROTOCOL_ERROR.what':
    'El servicio de inicio de sesión llegó a Exchange, pero la respuesta no era la que envían los Servicios web de Exchange.',
  'outcome.CAS_PROTOCOL_ERROR.next':
    'Pida a su departamento de TI que compruebe que la URL de Exchange del perfil termina en /EWS/Exchange.asmx y que ningún proxy la reescribe.',
  'outcome.PROFILE_NOT_FOUND.title': 'El inicio de sesión no está configurado para su buzón',
  'outcome.PROFILE_NOT_FOUND.what': 'Ningún perfil de autenticación incluye {mailbox}.',
  'outcome.PROFILE_NOT_FOUND.next':
    'Pida a su departamento de TI que cree un perfil de autenticación predeterminado o uno que incluya su dominio de correo.',
  'outcome.METHOD_DISABLED.title': 'Este método de inicio de sesión está desactivado para usted',
  'outcome.METHOD_DISABLED.what':
    'Su administrador no ha habilitado este método de inicio de sesión en su perfil de autenticación.',
  'outcome.METHOD_DISABLED.next':
    'Pida a su departamento de TI que lo habilite, o use otro método de los de abajo.',
  'outcome.RATE_LIMITED.title': 'Demasiados intentos de inicio de sesión',
  'outcome.RATE_LIMITED.what':
    'Para evitar que su cuenta se bloquee, el servicio de inicio de sesión ha pausado los intentos para su buzón o este equipo.',
  'outcome.RATE_LIMITED.next': 'Espere unos minutos y elija Reintentar una sola vez.',
  'outcome.HANDSHAKE_INVALID.title': 'Se interrumpió el inicio de sesión de Windows',
  'outcome.HANDSHAKE_INVALID.what':
    'El intercambio de inicio de sesión entre Outlook y nuestro servicio no se completó en orden. Puede deberse a un proxy o equilibrador de carga que mezcla conexiones.',
  'outcome.HANDSHAKE_INVALID.next':
    'Elija Reintentar una vez. Si vuelve a ocurrir, pida a su departamento de TI que acceda al servicio de inicio de sesión por HTTP/1.1 con afinidad de conexión (sin un proxy que comparta conexiones).',
  'outcome.HANDSHAKE_CAPACITY.title': 'El servicio de inicio de sesión está ocupado',
  'outcome.HANDSHAKE_CAPACITY.what': 'Hay demasiadas personas iniciando sesión en este momento.',
  'outcome.HANDSHAKE_CAPACITY.next': 'Espere un minuto y elija Reintentar.',
  'outcome.NEGOTIATE.title': 'El inicio de sesión de Windows no continuó',
  'outcome.NEGOTIATE.what':
    'El servicio de inicio de sesión pidió a su navegador que continuara el inicio de sesión de Windows, pero no respondió.',
  'outcome.NEGOTIATE.next':
    'Vuelva a intentarlo. Si sigue ocurriendo, pida a su departamento de TI que compruebe que {site} es de confianza para la autenticación de Windows.',
  'outcome.HANDSHAKE_ABANDONED.title': 'El inicio de sesión de Windows quedó sin terminar',
  'outcome.HANDSHAKE_ABANDONED.what':
    'Su navegador detuvo el inicio de sesión de Windows antes de terminar, normalmente porque no tenía un inicio de sesión de Windows que ofrecer.',
  'outcome.HANDSHAKE_ABANDONED.next':
    'Vuelva a intentarlo. Si sigue ocurriendo, avise a su departamento de TI.',
  'outcome.REQUEST_TOO_LARGE.title': 'Su inicio de sesión de Windows era demasiado grande',
  'outcome.REQUEST_TOO_LARGE.what':
    'El inicio de sesión que envió Windows superaba lo que acepta el servicio. Ocurre con vales de Kerberos muy grandes (pertenencia a muchos grupos).',
  'outcome.REQUEST_TOO_LARGE.next':
    'Pida a su departamento de TI que aumente el límite de tamaño de encabezado del servicio de inicio de sesión y de cualquier proxy que haya delante.',
  'outcome.IDENTITY_TOKEN_INVALID.title': 'Se rechazó el token de identidad de Outlook',
  'outcome.IDENTITY_TOKEN_INVALID.what':
    'El servicio de inicio de sesión no pudo validar el token de identidad de Outlook.',
  'outcome.IDENTITY_TOKEN_INVALID.whatReason':
    'El servicio de inicio de sesión no pudo validar el token de identidad de Outlook (comprobación fallida: {reason}).',
  'outcome.IDENTITY_TOKEN_INVALID.next':
    'Use otro método de inicio de sesión. Administradores: comprueben que el perfil confía en su servidor Exchange y que los relojes de los servidores están sincronizados.',
  'outcome.IDENTITY_TOKEN_UNBOUND.title': 'Inicie sesión primero una vez con Windows o con su contraseña',
  'outcome.IDENTITY_TOKEN_UNBOUND.what':
    'El token de identidad de Outlook aún no está vinculado a su buzón. Se vincula la primera vez que inicia sesión con Windows o con su contraseña.',
  'outcome.IDENTITY_TOKEN_UNBOUND.next':
    'Inicie sesión una vez con Windows o con su contraseña. A partir de entonces, este método iniciará su sesión automáticamente.',
  'outcome.SESSION_INVALID.title': 'Su sesión ha terminado',
  'outcome.SESSION_INVALID.what': 'Su sesión ha caducado o se ha cerrado.',
  'outcome.SESSION_INVALID.next': 'Vuelva a iniciar sesión.',
  'outcome.MAILBOX_INVALID.title': 'Outlook indicó una dirección de buzón no válida',
  'outcome.MAILBOX_INVALID.what':
    'La dirección que Outlook indicó para su buzón no es una dirección de correo válida.',
  'outcome.MAILBOX_INVALID.next':
    'Avise a su departamento de TI; puede que el perfil de Outlook esté mal configurado.',
  'outcome.INPUT_INVALID.title': 'No se aceptó la solicitud de inicio de sesión',
  'outcome.INPUT_INVALID.what':
    'El servicio de inicio de sesión no pudo usar lo que se envió, por ejemplo, un nombre de usuario mal escrito.',
  'outcome.INPUT_INVALID.next':
    'Revise lo que escribió y vuelva a intentarlo. Si sigue ocurriendo, avise a su departamento de TI.',
  'outcome.NOT_FOUND.title': 'El servicio de inicio de sesión no reconoce esta solicitud',
  'outcome.NOT_FOUND.what':
    'El servicio de inicio de sesión no tiene esa página o entrada. Puede que sea una versión más nueva o más antigua que este panel.',
  'outcome.NOT_FOUND.next':
    'Cierre el panel y vuelva a abrirlo. Si sigue ocurriendo, avise a su departamento de TI.',
  'outcome.CONFLICT.title': 'El servicio de inicio de sesión está aplicando un cambio',
  'outcome.CONFLICT.what': 'Alguien cambió la misma opción en el mismo momento.',
  'outcome.CONFLICT.next': 'Espere un momento y vuelva a intentarlo.',
  'outcome.ADMIN_UNAUTHORIZED.title': 'Hacen falta permisos de administrador',
  'outcome.ADMIN_UNAUTHORIZED.what':
    'La solicitud necesita la credencial de administrador del servicio de inicio de sesión.',
  'outcome.ADMIN_UNAUTHORIZED.next':
    'Usted no tiene que hacer nada aquí. Si ve esto en el panel, avise a su departamento de TI.',
  'outcome.DATABASE_UNAVAILABLE.title': 'El servicio de inicio de sesión no puede acceder a su base de datos',
  'outcome.DATABASE_UNAVAILABLE.what':
    'El servicio de inicio de sesión está en funcionamiento, pero su base de datos no está disponible ahora mismo.',
  'outcome.DATABASE_UNAVAILABLE.next':
    'Vuelva a intentarlo dentro de unos minutos. Si sigue ocurriendo, avise a su departamento de TI.',
  'outcome.SCHEMA_TOO_NEW.title': 'El servicio de inicio de sesión necesita una actualización',
  'outcome.SCHEMA_TOO_NEW.what':
    'La base de datos del servicio de inicio de sesión la creó una versión más reciente del servicio.',
  'outcome.SCHEMA_TOO_NEW.next':
    'Avise a su departamento de TI: hay que actualizar el servicio para que coincida con su base de datos.',
  'outcome.CONFIG_INVALID.title': 'El servicio de inicio de sesión no está bien configurado',
  'outcome.CONFIG_INVALID.what': 'Falta una opción del servicio de inicio de sesión o es incorrecta.',
  'outcome.CONFIG_INVALID.next':
    'Avise a su departamento de TI; hay que corregir la configuración del servicio.',
  'outcome.REQUEST_TIMEOUT.title': 'La solicitud tardó demasiado',
  'outcome.REQUEST_TIMEOUT.what':
    'Su equipo envió la solicitud demasiado despacio y el servicio de inicio de sesión dejó de esperar.',
  'outcome.REQUEST_TIMEOUT.next': 'Vuelva a intentarlo. Si sigue ocurriendo, avise a su administrador de TI.',
  'outcome.TLS_CERT_REQUIRED.title': 'El servicio de inicio de sesión no tiene certificado',
  'outcome.TLS_CERT_REQUIRED.what': 'El servicio se inició sin su certificado HTTPS.',
  'outcome.TLS_CERT_REQUIRED.next':
    'Avise a su administrador de TI: el servicio necesita su certificado para funcionar.',
  'outcome.AUDIENCE_UNKNOWN.title': 'Esta aplicación no está registrada para iniciar sesión',
  'outcome.AUDIENCE_UNKNOWN.what':
    'Una aplicación pidió un justificante de inicio de sesión que el servicio no conoce.',
  'outcome.AUDIENCE_UNKNOWN.next':
    'Avise a su administrador de TI: hay que registrar la aplicación en el servicio de inicio de sesión.',
  'outcome.CLIENT_UNAUTHORIZED.title': 'Una aplicación no pudo comprobar su inicio de sesión',
  'outcome.CLIENT_UNAUTHORIZED.what':
    'Se rechazaron las credenciales que usa una aplicación para comprobar los inicios de sesión.',
  'outcome.CLIENT_UNAUTHORIZED.next':
    'Avise a su administrador de TI: hay que renovar las credenciales de la aplicación.',
  'outcome.KEY_ENCRYPTION_KEY_MISSING.title': 'El inicio de sesión en otras aplicaciones está desactivado',
  'outcome.KEY_ENCRYPTION_KEY_MISSING.what':
    'El servicio de inicio de sesión no tiene clave para firmar justificantes para otras aplicaciones.',
  'outcome.KEY_ENCRYPTION_KEY_MISSING.next':
    'Avise a su administrador de TI: el servicio necesita su clave de cifrado de claves.',
  'outcome.KEY_ENCRYPTION_KEY_INVALID.title': 'El inicio de sesión en otras aplicaciones no funciona',
  'outcome.KEY_ENCRYPTION_KEY_INVALID.what':
    'El servicio de inicio de sesión no puede usar la clave con la que firma los justificantes para otras aplicaciones.',
  'outcome.KEY_ENCRYPTION_KEY_INVALID.next':
    'Avise a su administrador de TI: hay que corregir el archivo de clave del servicio.',
  'outcome.INTERNAL.title': 'El servicio de inicio de sesión tuvo un problema',
  'outcome.INTERNAL.what': 'Algo inesperado falló dentro del servicio de inicio de sesión.',
  'outcome.INTERNAL.next':
    'Vuelva a intentarlo más tarde. Si sigue ocurriendo, indique a su departamento de TI la hora en que pasó.',
  'outcome.BROWSER_NO_CREDENTIALS.title': 'Windows no envió su inicio de sesión',
  'outcome.BROWSER_NO_CREDENTIALS.what':
    'Se pidió al navegador de Outlook su inicio de sesión de Windows, pero no lo ofreció. Los navegadores solo lo hacen con sitios de confianza para la autenticación de Windows, y {site} todavía no lo es.',
  'outcome.BROWSER_NO_CREDENTIALS.next':
    'Pida a su departamento de TI que añada {site} a la zona Intranet local (directiva de grupo «Lista de asignación de sitio a zona») y a la directiva AuthServerAllowlist de Microsoft Edge WebView2, y reinicie Outlook.',
  'outcome.NETWORK_FAILURE.title': 'Sin conexión con el servicio de inicio de sesión',
  'outcome.NETWORK_FAILURE.what': 'Outlook no pudo acceder al servicio de inicio de sesión en {site}.',
  'outcome.NETWORK_FAILURE.next':
    'Compruebe que está conectado a la red de su organización o a la VPN y elija Reintentar. Si sus compañeros tienen el mismo problema, avise a su departamento de TI.',
  'outcome.UNEXPECTED_RESPONSE.title': 'El servicio de inicio de sesión respondió de forma inesperada',
  'outcome.UNEXPECTED_RESPONSE.what':
    'No se pudo leer la respuesta. Puede que un proxy entre Outlook y el servicio la haya modificado.',
  'outcome.UNEXPECTED_RESPONSE.whatHttp':
    'No se pudo leer la respuesta (HTTP {status}). Puede que un proxy entre Outlook y el servicio la haya modificado.',
  'outcome.UNEXPECTED_RESPONSE.next':
    'Vuelva a intentarlo más tarde. Si sigue ocurriendo, avise a su departamento de TI.',
  'outcome.OFFICE_365.title': 'Los buzones de Office 365 no pueden usar el inicio de sesión de Windows',
  'outcome.OFFICE_365.what':
    '{mailbox} está en Office 365 (Exchange Online). Aquí, el inicio de sesión de Windows solo funciona con los servidores Exchange propios de su organización.',
  'outcome.OFFICE_365.next':
    'Use otro método de inicio de sesión de los de abajo si su administrador lo ha habilitado.',
  'outcome.CONSUMER_ACCOUNT.title': 'Este no es un buzón del trabajo',
  'outcome.CONSUMER_ACCOUNT.what':
    '{mailbox} es una cuenta personal de Outlook.com o Gmail. Estos métodos de inicio de sesión son para el buzón de Exchange de su organización.',
  'outcome.CONSUMER_ACCOUNT.next': 'Abra Outlook con su buzón del trabajo y vuelva a intentarlo.',
  'outcome.HOST_TOKEN_UNAVAILABLE.title': 'Outlook no proporcionó un token de identidad',
  'outcome.HOST_TOKEN_UNAVAILABLE.what':
    'Esta versión de Outlook, o su servidor Exchange, no entregó un token de identidad de Exchange.',
  'outcome.HOST_TOKEN_UNAVAILABLE.next':
    'Use en su lugar el inicio de sesión de Windows o su contraseña. Administradores: los tokens de identidad requieren Exchange 2013 o posterior.',
} as const satisfies Catalogue;

export default es;
