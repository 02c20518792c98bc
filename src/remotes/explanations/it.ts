/** Le spiegazioni in italiano (la fonte è l'inglese, ../explanations.ts). */
import type { ExplanationTable } from './table';

export const IT: ExplanationTable = {
  failure: {
    GeneralError: {
      text: 'Stellantis ha segnalato un errore generico',
      whatToDo: 'riprova tra qualche minuto; se continua a non riuscire, controlla lo stato del servizio Stellantis',
    },
    VehicleError: {
      text: "l'auto ha segnalato un errore durante l'esecuzione",
      whatToDo: "riprova più tardi; se continua a non riuscire, fai controllare l'auto (spia sul cruscotto, visita in officina)",
    },
    WrongCommand: {
      text: "l'auto non supporta questo comando",
      whatToDo: 'disattiva questa funzione per il veicolo nella configurazione (vehicles[].features)',
    },
    VehicleConnectionTimeout: {
      text: "l'auto non è raggiungibile: è fuori copertura, oppure in sospensione profonda dopo 7 giorni senza essere guidata",
      whatToDo: "guida l'auto (o portala in una zona coperta) e riprova",
    },
    MissingRights: {
      text: "questo account non è autorizzato a inviare questo comando all'auto",
      whatToDo: "accedi di nuovo concedendo tutti i permessi per i comandi a distanza (`stellantis login`) e verifica che i servizi connessi siano attivi per l'auto nell'app del marchio",
    },
    NotPossibleDueToVehicleBatteryLevel: {
      text: "la batteria a 12 V dell'auto è troppo scarica per eseguire il comando",
      whatToDo: "guida l'auto o ricarica la batteria, poi riprova",
    },
    NotPossibleDueToVehiclePrivacyLevel: {
      text: "l'impostazione privacy dell'auto non consente i comandi a distanza",
      whatToDo: "cambia la modalità privacy sull'auto (schermo dell'infotainment: connettività / privacy) e riprova",
    },
    TooManyWakeUpsOverMonth: {
      text: "l'auto è stata risvegliata troppe volte questo mese",
      whatToDo: "aspetta il mese prossimo o guida l'auto; evita aggiornamenti frequenti",
    },
    TooManyRequestInShortTime: {
      text: "troppi comandi inviati all'auto in poco tempo",
      whatToDo: 'aspetta qualche minuto prima di inviare un altro comando',
    },
    SameActionInProgress: {
      text: "un altro comando è ancora in corso sull'auto (forse inviato dall'app del marchio)",
      whatToDo: 'aspetta che finisca, poi riprova',
    },
    NotPossibleDueToVehicleStolenState: {
      text: "l'auto risulta rubata, quindi i comandi a distanza sono bloccati",
      whatToDo: "fai rimuovere lo stato di furto dal gestore della flotta o dall'assistenza del marchio",
    },
    VehicleInUse: {
      text: "l'auto è in uso (quadro acceso o in marcia)",
      whatToDo: "riprova quando l'auto è parcheggiata e spenta",
    },
    TooManyRequestSent: {
      text: 'troppi comandi inviati a questa auto',
      whatToDo: 'aspetta un po’ prima di inviare un altro comando',
    },
    DoorsOpen: {
      text: 'una porta (o il bagagliaio) è aperta',
      whatToDo: 'chiudi le porte e il bagagliaio, poi riprova',
    },
    VehicleErrorOrCidInside: {
      text: "l'auto ha rifiutato: segnala un errore, oppure c'è una chiave all'interno",
      whatToDo: "controlla che non sia rimasta una chiave nell'auto, poi riprova",
    },
    CidInside: {
      text: "c'è una chiave all'interno dell'auto",
      whatToDo: "togli la chiave dall'auto, poi riprova",
    },
    ExternalChargingSystemError: {
      text: "la colonnina o il cavo di ricarica segnalano un errore (oppure l'auto non è collegata)",
      whatToDo: 'controlla che il cavo sia collegato e che la colonnina funzioni, poi riprova',
    },
    VehicleChargingSystemError: {
      text: "il sistema di ricarica dell'auto segnala un errore",
      whatToDo: "scollega e ricollega il cavo; se continua a non riuscire, fai controllare l'auto",
    },
    VehicleIsNotLocked: {
      text: "l'auto deve essere chiusa per questo comando",
      whatToDo: "chiudi l'auto, poi riprova",
    },
    CanceledByDriver: {
      text: "il comando è stato annullato dall'interno dell'auto",
      whatToDo: 'nulla da fare; invialo di nuovo se non era voluto',
    },
  },
  pending: {
    Accepted: { text: 'accettato da Stellantis', whatToDo: '' },
    WakingUpVehicle: { text: "risveglio dell'auto in corso (può richiedere un paio di minuti)", whatToDo: '' },
    CheckingVehicle: { text: "verifica che l'auto possa eseguire il comando", whatToDo: '' },
    SentToVehicle: { text: "inviato all'auto, in attesa della risposta", whatToDo: '' },
    VehicleBatteryChargeTooLow: {
      text: "la batteria a 12 V dell'auto è scarica; il comando potrebbe non riuscire",
      whatToDo: "guida l'auto o ricarica la batteria al più presto",
    },
    TooManyWakeUpsOverMonth: {
      text: "l'auto ha raggiunto il limite di risvegli di questo mese",
      whatToDo: "il comando probabilmente non riuscirà; aspetta il mese prossimo o guida l'auto",
    },
  },
  unknownCause: (cause) => `l'auto ha rifiutato il comando (${cause})`,
  noReason: 'il comando non è riuscito, senza un motivo indicato',
  tryLater: 'riprova più tardi',
  inProgress: (status) => `in corso (${status})`,
};
