/** Die Erklärungen auf Deutsch (Quelle ist das Englische, ../explanations.ts). */
import type { ExplanationTable } from './table';

export const DE: ExplanationTable = {
  failure: {
    GeneralError: {
      text: 'Stellantis hat einen allgemeinen Fehler gemeldet',
      whatToDo: 'in ein paar Minuten erneut versuchen; wenn es weiter fehlschlägt, den Status des Stellantis-Dienstes prüfen',
    },
    VehicleError: {
      text: 'das Auto hat beim Ausführen einen Fehler gemeldet',
      whatToDo: 'später erneut versuchen; wenn es weiter fehlschlägt, das Auto prüfen lassen (Warnleuchte im Cockpit, Werkstatt)',
    },
    WrongCommand: {
      text: 'das Auto unterstützt diesen Befehl nicht',
      whatToDo: 'diese Funktion für das Fahrzeug in der Konfiguration ausschalten (vehicles[].features)',
    },
    VehicleConnectionTimeout: {
      text: 'das Auto ist nicht erreichbar: kein Mobilfunkempfang, oder es ist nach 7 Tagen ohne Fahrt im Tiefschlaf',
      whatToDo: 'mit dem Auto fahren (oder es in den Empfangsbereich bringen) und erneut versuchen',
    },
    MissingRights: {
      text: 'dieses Konto darf diesen Befehl nicht an das Auto senden',
      whatToDo: 'erneut anmelden und dabei alle Fernzugriffsrechte erteilen (`stellantis login`), und in der App der Marke prüfen, ob die Online-Dienste für das Auto aktiviert sind',
    },
    NotPossibleDueToVehicleBatteryLevel: {
      text: 'die 12-V-Batterie des Autos ist zu schwach für den Befehl',
      whatToDo: 'mit dem Auto fahren oder die Batterie laden, dann erneut versuchen',
    },
    NotPossibleDueToVehiclePrivacyLevel: {
      text: 'die Datenschutzeinstellung des Autos verbietet Fernbefehle',
      whatToDo: 'den Datenschutzmodus im Auto ändern (Infotainment: Konnektivität / Datenschutz) und erneut versuchen',
    },
    TooManyWakeUpsOverMonth: {
      text: 'das Auto wurde diesen Monat zu oft geweckt',
      whatToDo: 'bis nächsten Monat warten oder mit dem Auto fahren; häufiges Aktualisieren vermeiden',
    },
    TooManyRequestInShortTime: {
      text: 'in kurzer Zeit wurden zu viele Befehle an das Auto gesendet',
      whatToDo: 'ein paar Minuten warten, bevor ein weiterer Befehl gesendet wird',
    },
    SameActionInProgress: {
      text: 'am Auto läuft noch ein anderer Befehl (vielleicht aus der App der Marke)',
      whatToDo: 'warten, bis er fertig ist, dann erneut versuchen',
    },
    NotPossibleDueToVehicleStolenState: {
      text: 'das Auto ist als gestohlen gemeldet, Fernbefehle sind gesperrt',
      whatToDo: 'die Diebstahlmeldung beim Flottenmanager oder bei der Assistance der Marke aufheben lassen',
    },
    VehicleInUse: {
      text: 'das Auto ist in Benutzung (Zündung an oder in Fahrt)',
      whatToDo: 'erneut versuchen, wenn das Auto geparkt und ausgeschaltet ist',
    },
    TooManyRequestSent: {
      text: 'an dieses Auto wurden zu viele Befehle gesendet',
      whatToDo: 'eine Weile warten, bevor ein weiterer Befehl gesendet wird',
    },
    DoorsOpen: {
      text: 'eine Tür (oder die Heckklappe) ist offen',
      whatToDo: 'Türen und Heckklappe schließen, dann erneut versuchen',
    },
    VehicleErrorOrCidInside: {
      text: 'das Auto hat abgelehnt: es meldet einen Fehler, oder ein Schlüssel liegt im Auto',
      whatToDo: 'prüfen, dass kein Schlüssel im Auto liegt, dann erneut versuchen',
    },
    CidInside: {
      text: 'ein Schlüssel liegt im Auto',
      whatToDo: 'den Schlüssel aus dem Auto nehmen, dann erneut versuchen',
    },
    ExternalChargingSystemError: {
      text: 'Ladestation oder Ladekabel melden einen Fehler (oder das Auto ist nicht angesteckt)',
      whatToDo: 'prüfen, ob das Kabel steckt und die Ladestation funktioniert, dann erneut versuchen',
    },
    VehicleChargingSystemError: {
      text: 'das Ladesystem des Autos meldet einen Fehler',
      whatToDo: 'das Kabel ab- und wieder anstecken; wenn es weiter fehlschlägt, das Auto prüfen lassen',
    },
    VehicleIsNotLocked: {
      text: 'das Auto muss für diesen Befehl verriegelt sein',
      whatToDo: 'das Auto verriegeln, dann erneut versuchen',
    },
    CanceledByDriver: {
      text: 'der Befehl wurde im Auto abgebrochen',
      whatToDo: 'nichts zu tun; erneut senden, falls das nicht gewollt war',
    },
  },
  pending: {
    Accepted: { text: 'von Stellantis angenommen', whatToDo: '' },
    WakingUpVehicle: { text: 'das Auto wird geweckt (das kann ein, zwei Minuten dauern)', whatToDo: '' },
    CheckingVehicle: { text: 'es wird geprüft, ob das Auto den Befehl ausführen kann', whatToDo: '' },
    SentToVehicle: { text: 'an das Auto gesendet, warte auf Antwort', whatToDo: '' },
    VehicleBatteryChargeTooLow: {
      text: 'die 12-V-Batterie des Autos ist schwach; der Befehl kann fehlschlagen',
      whatToDo: 'bald mit dem Auto fahren oder die Batterie laden',
    },
    TooManyWakeUpsOverMonth: {
      text: 'das Auto hat sein Weckkontingent für diesen Monat erreicht',
      whatToDo: 'der Befehl schlägt wahrscheinlich fehl; bis nächsten Monat warten oder mit dem Auto fahren',
    },
  },
  unknownCause: (cause) => `das Auto hat den Befehl abgelehnt (${cause})`,
  noReason: 'der Befehl ist ohne Angabe eines Grundes fehlgeschlagen',
  tryLater: 'später erneut versuchen',
  inProgress: (status) => `läuft (${status})`,
};
