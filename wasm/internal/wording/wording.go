// Package wording is what Link says, in every language it supports
// (English, French, Spanish and Dutch): the headings, labels, buttons and
// error texts of its panes. It is pure data; the Link engine picks a
// language with For and fills in the format verbs.
package wording

// Messages is the wording of Link in one language. Format verbs take the
// client name, an institution name, a search query or a number, as each
// field's comment says.
type Messages struct {
	Title, Close, Continue, Submit, Retry, Loading string
	// ThisApp names the app when Plaid.create gave no clientName.
	ThisApp string

	ConsentHeading, ConsentBody, ConsentBody2 string // client name in Heading and Body2
	// The European consent pane (PSD2 and GDPR); client name in Heading and Body.
	EUConsentHeading, EUConsentBody, EUConsentBody2 string

	SelectHeading, Search, Institutions string
	NoResults                           string // query
	NoResultsHint                       string

	CredentialHeading  string // institution
	Username, Password string
	CredentialsMissing string
	DegradedWarning    string // institution
	DownHeading        string // institution
	DownBody           string // institution
	ChooseAnother      string

	OAuthHeading        string // institution
	OAuthBody           string // institution
	OAuthWaitingHeading string // institution
	OAuthWaitingBody    string

	// Payment Initiation's consent pane: amount and recipient in
	// PaymentBody, the payment reference in PaymentReference.
	PaymentHeading, PaymentBody, PaymentReference string

	DeviceHeading, Devices, CodeHeading, Code string
	QuestionsHeading, SelectionsHeading       string
	Question                                  string // number
	AnswersMissing                            string

	AccountsHeading, Accounts string
	ConnectedHeading          string
	Connected                 string // client name
	// Multi-Item Link's success pane: institution in ItemLinked.
	ItemLinked, AddAnother, Finish string

	ErrorHeading                                   string
	ErrorCredentials, ErrorMFA, ErrorLocked        string
	ErrorInstitution, ErrorNoAccounts, ErrorOther  string
	ErrorOAuth                                     string
	ExitHeading, ExitBody, ExitConfirm, ExitCancel string
}

// For returns the wording of a language ("en", "fr", "es" or "nl"), and
// English for any other.
func For(language string) *Messages {
	switch language {
	case "fr":
		return &french
	case "es":
		return &spanish
	case "nl":
		return &dutch
	}
	return &english
}

var english = Messages{
	Title: "Plaid Link", Close: "Close", Continue: "Continue", Submit: "Submit", Retry: "Try again", Loading: "Loading",
	ThisApp: "This app",

	ConsentHeading: "%s uses Plaid to connect your account",
	ConsentBody:    "Plaid lets you securely connect your financial accounts in seconds.",
	ConsentBody2:   "Your credentials will never be made accessible to %s.",

	EUConsentHeading: "%s uses Plaid to access your bank account information",
	EUConsentBody:    "By continuing you allow Plaid to access your account information for %s for 90 days, as PSD2 permits.",
	EUConsentBody2:   "Plaid processes your data in line with the GDPR and its End User Privacy Policy.",

	SelectHeading: "Select your bank", Search: "Search", Institutions: "Institutions",
	NoResults: "No results for \u201c%s\u201d", NoResultsHint: "Try another search, or exit Link.",

	CredentialHeading: "Enter your %s credentials", Username: "Username", Password: "Password",
	CredentialsMissing: "Enter your username and password.",
	DegradedWarning:    "%s is experiencing issues. Connecting may take longer than usual.",
	DownHeading:        "%s is unavailable",
	DownBody:           "Connections to %s are down for now. Try again later, or choose another bank.",
	ChooseAnother:      "Choose another bank",

	OAuthHeading:        "Log in at %s",
	OAuthBody:           "You will be sent to %s to log in securely and choose the accounts to share.",
	OAuthWaitingHeading: "Finish logging in at %s",
	OAuthWaitingBody:    "Continue in the window that opened, then come back here.",

	PaymentHeading:   "Confirm your payment",
	PaymentBody:      "Pay %s to %s.",
	PaymentReference: "Reference: %s",

	DeviceHeading: "Where should we send your code?", Devices: "Devices",
	CodeHeading: "Enter the code we sent you", Code: "Code",
	QuestionsHeading: "Answer your security questions", SelectionsHeading: "Choose your answers",
	Question: "Question %d", AnswersMissing: "Answer every question.",

	AccountsHeading: "Select account", Accounts: "Accounts",
	ConnectedHeading: "Success", Connected: "Your account has been successfully linked to %s.",
	ItemLinked: "Your %s account is linked. Add another account, or finish.", AddAnother: "Add another account", Finish: "Finish",

	ErrorHeading:     "Something went wrong",
	ErrorCredentials: "The provided credentials were not correct. Please try again.",
	ErrorMFA:         "The provided answers were not correct. Please try again.",
	ErrorLocked:      "Your account is locked. Unlock it with your bank, then try again.",
	ErrorInstitution: "Your bank is not responding right now. Please try again later.",
	ErrorNoAccounts:  "None of your accounts can be used here.",
	ErrorOther:       "Something went wrong. Please try again later.",
	ErrorOAuth:       "You did not allow access to your accounts at your bank.",

	ExitHeading: "Are you sure you want to exit?", ExitBody: "Your progress will be lost.",
	ExitConfirm: "Exit", ExitCancel: "Go back",
}

var french = Messages{
	Title: "Plaid Link", Close: "Fermer", Continue: "Continuer", Submit: "Envoyer", Retry: "Réessayer", Loading: "Chargement",
	ThisApp: "Cette application",

	ConsentHeading: "%s utilise Plaid pour connecter votre compte",
	ConsentBody:    "Plaid vous permet de connecter vos comptes financiers en toute sécurité, en quelques secondes.",
	ConsentBody2:   "Vos identifiants ne seront jamais communiqués à %s.",

	EUConsentHeading: "%s utilise Plaid pour accéder aux informations de votre compte bancaire",
	EUConsentBody:    "En continuant, vous autorisez Plaid à accéder aux informations de votre compte pour %s pendant 90 jours, comme le permet la DSP2.",
	EUConsentBody2:   "Plaid traite vos données conformément au RGPD et à sa politique de confidentialité.",

	SelectHeading: "Choisissez votre banque", Search: "Rechercher", Institutions: "Établissements",
	NoResults: "Aucun résultat pour « %s »", NoResultsHint: "Essayez une autre recherche, ou quittez Link.",

	CredentialHeading: "Saisissez vos identifiants %s", Username: "Identifiant", Password: "Mot de passe",
	CredentialsMissing: "Saisissez votre identifiant et votre mot de passe.",
	DegradedWarning:    "%s rencontre des difficultés. La connexion peut prendre plus de temps que d'habitude.",
	DownHeading:        "%s est indisponible",
	DownBody:           "Les connexions à %s sont interrompues pour le moment. Réessayez plus tard ou choisissez une autre banque.",
	ChooseAnother:      "Choisir une autre banque",

	OAuthHeading:        "Connectez-vous chez %s",
	OAuthBody:           "Vous allez être redirigé vers %s pour vous connecter en toute sécurité et choisir les comptes à partager.",
	OAuthWaitingHeading: "Terminez la connexion chez %s",
	OAuthWaitingBody:    "Continuez dans la fenêtre qui s'est ouverte, puis revenez ici.",

	PaymentHeading:   "Confirmez votre paiement",
	PaymentBody:      "Payer %s à %s.",
	PaymentReference: "Référence : %s",

	DeviceHeading: "Où devons-nous envoyer votre code ?", Devices: "Appareils",
	CodeHeading: "Saisissez le code reçu", Code: "Code",
	QuestionsHeading: "Répondez à vos questions de sécurité", SelectionsHeading: "Choisissez vos réponses",
	Question: "Question %d", AnswersMissing: "Répondez à chaque question.",

	AccountsHeading: "Choisissez un compte", Accounts: "Comptes",
	ConnectedHeading: "Terminé", Connected: "Votre compte a bien été relié à %s.",
	ItemLinked: "Votre compte %s est relié. Ajoutez un autre compte ou terminez.", AddAnother: "Ajouter un autre compte", Finish: "Terminer",

	ErrorHeading:     "Un problème est survenu",
	ErrorCredentials: "Les identifiants fournis sont incorrects. Veuillez réessayer.",
	ErrorMFA:         "Les réponses fournies sont incorrectes. Veuillez réessayer.",
	ErrorLocked:      "Votre compte est bloqué. Débloquez-le auprès de votre banque, puis réessayez.",
	ErrorInstitution: "Votre banque ne répond pas pour le moment. Veuillez réessayer plus tard.",
	ErrorNoAccounts:  "Aucun de vos comptes ne peut être utilisé ici.",
	ErrorOther:       "Un problème est survenu. Veuillez réessayer plus tard.",
	ErrorOAuth:       "Vous n'avez pas autorisé l'accès à vos comptes auprès de votre banque.",

	ExitHeading: "Voulez-vous vraiment quitter ?", ExitBody: "Votre progression sera perdue.",
	ExitConfirm: "Quitter", ExitCancel: "Retour",
}

var spanish = Messages{
	Title: "Plaid Link", Close: "Cerrar", Continue: "Continuar", Submit: "Enviar", Retry: "Reintentar", Loading: "Cargando",
	ThisApp: "Esta aplicación",

	ConsentHeading: "%s usa Plaid para conectar tu cuenta",
	ConsentBody:    "Plaid te permite conectar tus cuentas financieras de forma segura en segundos.",
	ConsentBody2:   "Tus credenciales nunca serán accesibles para %s.",

	EUConsentHeading: "%s usa Plaid para acceder a la información de tu cuenta bancaria",
	EUConsentBody:    "Al continuar, permites que Plaid acceda a la información de tu cuenta para %s durante 90 días, como permite la PSD2.",
	EUConsentBody2:   "Plaid trata tus datos de acuerdo con el RGPD y su política de privacidad.",

	SelectHeading: "Selecciona tu banco", Search: "Buscar", Institutions: "Entidades",
	NoResults: "No hay resultados para «%s»", NoResultsHint: "Prueba otra búsqueda o sal de Link.",

	CredentialHeading: "Introduce tus credenciales de %s", Username: "Usuario", Password: "Contraseña",
	CredentialsMissing: "Introduce tu usuario y tu contraseña.",
	DegradedWarning:    "%s tiene problemas. La conexión puede tardar más de lo habitual.",
	DownHeading:        "%s no está disponible",
	DownBody:           "Las conexiones con %s no funcionan por ahora. Inténtalo más tarde o elige otro banco.",
	ChooseAnother:      "Elegir otro banco",

	OAuthHeading:        "Inicia sesión en %s",
	OAuthBody:           "Te llevaremos a %s para que inicies sesión de forma segura y elijas las cuentas que compartir.",
	OAuthWaitingHeading: "Termina de iniciar sesión en %s",
	OAuthWaitingBody:    "Continúa en la ventana que se abrió y vuelve aquí.",

	PaymentHeading:   "Confirma tu pago",
	PaymentBody:      "Pagar %s a %s.",
	PaymentReference: "Referencia: %s",

	DeviceHeading: "¿Dónde te enviamos el código?", Devices: "Dispositivos",
	CodeHeading: "Introduce el código que te enviamos", Code: "Código",
	QuestionsHeading: "Responde a tus preguntas de seguridad", SelectionsHeading: "Elige tus respuestas",
	Question: "Pregunta %d", AnswersMissing: "Responde a todas las preguntas.",

	AccountsHeading: "Selecciona una cuenta", Accounts: "Cuentas",
	ConnectedHeading: "Listo", Connected: "Tu cuenta se ha vinculado correctamente con %s.",
	ItemLinked: "Tu cuenta de %s está vinculada. Añade otra cuenta o termina.", AddAnother: "Añadir otra cuenta", Finish: "Terminar",

	ErrorHeading:     "Algo salió mal",
	ErrorCredentials: "Las credenciales no son correctas. Inténtalo de nuevo.",
	ErrorMFA:         "Las respuestas no son correctas. Inténtalo de nuevo.",
	ErrorLocked:      "Tu cuenta está bloqueada. Desbloquéala con tu banco y vuelve a intentarlo.",
	ErrorInstitution: "Tu banco no responde en este momento. Inténtalo más tarde.",
	ErrorNoAccounts:  "Ninguna de tus cuentas se puede usar aquí.",
	ErrorOther:       "Algo salió mal. Inténtalo más tarde.",
	ErrorOAuth:       "No permitiste el acceso a tus cuentas en tu banco.",

	ExitHeading: "¿Seguro que quieres salir?", ExitBody: "Perderás tu progreso.",
	ExitConfirm: "Salir", ExitCancel: "Volver",
}

var dutch = Messages{
	Title: "Plaid Link", Close: "Sluiten", Continue: "Doorgaan", Submit: "Verzenden", Retry: "Opnieuw proberen", Loading: "Laden",
	ThisApp: "Deze app",

	ConsentHeading: "%s gebruikt Plaid om je rekening te koppelen",
	ConsentBody:    "Met Plaid koppel je je financiële rekeningen veilig en in een paar seconden.",
	ConsentBody2:   "Je inloggegevens worden nooit gedeeld met %s.",

	EUConsentHeading: "%s gebruikt Plaid om je rekeninggegevens in te zien",
	EUConsentBody:    "Als je doorgaat, geef je Plaid 90 dagen toegang tot je rekeninggegevens voor %s, zoals PSD2 toestaat.",
	EUConsentBody2:   "Plaid verwerkt je gegevens volgens de AVG en zijn privacybeleid.",

	SelectHeading: "Kies je bank", Search: "Zoeken", Institutions: "Instellingen",
	NoResults: "Geen resultaten voor \u2018%s\u2019", NoResultsHint: "Probeer een andere zoekopdracht of sluit Link.",

	CredentialHeading: "Voer je inloggegevens voor %s in", Username: "Gebruikersnaam", Password: "Wachtwoord",
	CredentialsMissing: "Voer je gebruikersnaam en wachtwoord in.",
	DegradedWarning:    "%s heeft storingen. Koppelen kan langer duren dan normaal.",
	DownHeading:        "%s is niet beschikbaar",
	DownBody:           "Verbindingen met %s liggen tijdelijk plat. Probeer het later opnieuw of kies een andere bank.",
	ChooseAnother:      "Andere bank kiezen",

	OAuthHeading:        "Log in bij %s",
	OAuthBody:           "Je gaat naar %s om veilig in te loggen en de rekeningen te kiezen die je deelt.",
	OAuthWaitingHeading: "Rond het inloggen bij %s af",
	OAuthWaitingBody:    "Ga verder in het venster dat is geopend en kom daarna hier terug.",

	PaymentHeading:   "Bevestig je betaling",
	PaymentBody:      "%s betalen aan %s.",
	PaymentReference: "Kenmerk: %s",

	DeviceHeading: "Waar sturen we je code naartoe?", Devices: "Apparaten",
	CodeHeading: "Voer de code in die we je stuurden", Code: "Code",
	QuestionsHeading: "Beantwoord je beveiligingsvragen", SelectionsHeading: "Kies je antwoorden",
	Question: "Vraag %d", AnswersMissing: "Beantwoord elke vraag.",

	AccountsHeading: "Kies een rekening", Accounts: "Rekeningen",
	ConnectedHeading: "Gelukt", Connected: "Je rekening is gekoppeld aan %s.",
	ItemLinked: "Je rekening bij %s is gekoppeld. Voeg nog een rekening toe of rond af.", AddAnother: "Nog een rekening toevoegen", Finish: "Afronden",

	ErrorHeading:     "Er ging iets mis",
	ErrorCredentials: "De inloggegevens kloppen niet. Probeer het opnieuw.",
	ErrorMFA:         "De antwoorden kloppen niet. Probeer het opnieuw.",
	ErrorLocked:      "Je rekening is geblokkeerd. Deblokkeer hem bij je bank en probeer het opnieuw.",
	ErrorInstitution: "Je bank reageert nu niet. Probeer het later opnieuw.",
	ErrorNoAccounts:  "Geen van je rekeningen kan hier worden gebruikt.",
	ErrorOther:       "Er ging iets mis. Probeer het later opnieuw.",
	ErrorOAuth:       "Je hebt bij je bank geen toegang tot je rekeningen gegeven.",

	ExitHeading: "Weet je zeker dat je wilt stoppen?", ExitBody: "Je voortgang gaat verloren.",
	ExitConfirm: "Stoppen", ExitCancel: "Terug",
}
