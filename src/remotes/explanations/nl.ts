/** De uitleg in het Nederlands (de bron is het Engels, ../explanations.ts). */
import type { ExplanationTable } from './table';

export const NL: ExplanationTable = {
  failure: {
    GeneralError: {
      text: 'Stellantis meldt een algemene fout',
      whatToDo: 'probeer het over een paar minuten opnieuw; blijft het misgaan, kijk dan naar de status van de Stellantis-dienst',
    },
    VehicleError: {
      text: 'de auto meldde een fout bij het uitvoeren',
      whatToDo: 'probeer het later opnieuw; blijft het misgaan, laat de auto dan nakijken (een waarschuwing op het dashboard, de dealer)',
    },
    WrongCommand: {
      text: 'de auto ondersteunt deze opdracht niet',
      whatToDo: 'zet deze functie voor het voertuig uit in de configuratie (vehicles[].features)',
    },
    VehicleConnectionTimeout: {
      text: 'de auto is niet bereikbaar: geen mobiel bereik, of in diepe slaap na 7 dagen niet rijden',
      whatToDo: 'rij met de auto (of zet hem waar wel bereik is) en probeer het opnieuw',
    },
    MissingRights: {
      text: 'dit account mag deze opdracht niet naar de auto sturen',
      whatToDo: 'log opnieuw in en geef alle rechten voor bediening op afstand (`stellantis login`), en controleer in de app van het merk of de connected services voor de auto aan staan',
    },
    NotPossibleDueToVehicleBatteryLevel: {
      text: 'de 12V-accu van de auto is te leeg voor deze opdracht',
      whatToDo: 'rij met de auto of laad de accu op, en probeer het dan opnieuw',
    },
    NotPossibleDueToVehiclePrivacyLevel: {
      text: 'de privacy-instelling van de auto staat bediening op afstand niet toe',
      whatToDo: 'wijzig de privacymodus in de auto (infotainmentscherm: connectiviteit / privacy) en probeer het opnieuw',
    },
    TooManyWakeUpsOverMonth: {
      text: 'de auto is deze maand te vaak gewekt',
      whatToDo: 'wacht tot volgende maand of rij met de auto; ververs niet te vaak',
    },
    TooManyRequestInShortTime: {
      text: 'er zijn in korte tijd te veel opdrachten naar de auto gestuurd',
      whatToDo: 'wacht een paar minuten voordat je een nieuwe opdracht stuurt',
    },
    SameActionInProgress: {
      text: 'er loopt nog een andere opdracht op de auto (misschien vanuit de app van het merk)',
      whatToDo: 'wacht tot die klaar is en probeer het dan opnieuw',
    },
    NotPossibleDueToVehicleStolenState: {
      text: 'de auto is als gestolen gemeld, dus bediening op afstand is geblokkeerd',
      whatToDo: 'laat de diefstalmelding opheffen door je wagenparkbeheerder of de pechhulp van het merk',
    },
    VehicleInUse: {
      text: 'de auto is in gebruik (contact aan of aan het rijden)',
      whatToDo: 'probeer het opnieuw als de auto geparkeerd en uitgeschakeld is',
    },
    TooManyRequestSent: {
      text: 'er zijn te veel opdrachten naar deze auto gestuurd',
      whatToDo: 'wacht even voordat je een nieuwe opdracht stuurt',
    },
    DoorsOpen: {
      text: 'er staat een portier (of de achterklep) open',
      whatToDo: 'sluit de portieren en de achterklep en probeer het opnieuw',
    },
    VehicleErrorOrCidInside: {
      text: 'de auto weigerde: hij meldt een fout, of er ligt een sleutel in de auto',
      whatToDo: 'controleer dat er geen sleutel in de auto ligt en probeer het opnieuw',
    },
    CidInside: {
      text: 'er ligt een sleutel in de auto',
      whatToDo: 'haal de sleutel uit de auto en probeer het opnieuw',
    },
    ExternalChargingSystemError: {
      text: 'de laadpaal of de laadkabel meldt een fout (of de auto is niet aangesloten)',
      whatToDo: 'controleer of de kabel erin zit en de laadpaal werkt, en probeer het opnieuw',
    },
    VehicleChargingSystemError: {
      text: 'het laadsysteem van de auto meldt een fout',
      whatToDo: 'haal de kabel eruit en sluit hem opnieuw aan; blijft het misgaan, laat de auto dan nakijken',
    },
    VehicleIsNotLocked: {
      text: 'de auto moet vergrendeld zijn voor deze opdracht',
      whatToDo: 'vergrendel de auto en probeer het opnieuw',
    },
    CanceledByDriver: {
      text: 'de opdracht is vanuit de auto geannuleerd',
      whatToDo: 'niets te doen; stuur hem opnieuw als dat niet de bedoeling was',
    },
  },
  pending: {
    Accepted: { text: 'geaccepteerd door Stellantis', whatToDo: '' },
    WakingUpVehicle: { text: 'de auto wordt gewekt (dat kan een minuut of twee duren)', whatToDo: '' },
    CheckingVehicle: { text: 'controleren of de auto de opdracht kan uitvoeren', whatToDo: '' },
    SentToVehicle: { text: 'naar de auto gestuurd, wacht op antwoord', whatToDo: '' },
    VehicleBatteryChargeTooLow: {
      text: 'de 12V-accu van de auto is bijna leeg; de opdracht kan mislukken',
      whatToDo: 'rij binnenkort met de auto of laad de accu op',
    },
    TooManyWakeUpsOverMonth: {
      text: 'de auto heeft zijn maximale aantal wekmomenten voor deze maand bereikt',
      whatToDo: 'de opdracht mislukt waarschijnlijk; wacht tot volgende maand of rij met de auto',
    },
  },
  unknownCause: (cause) => `de auto weigerde de opdracht (${cause})`,
  noReason: 'de opdracht is mislukt zonder opgegeven reden',
  tryLater: 'probeer het later opnieuw',
  inProgress: (status) => `bezig (${status})`,
};
