/** Les explications en français (la source est l'anglais, ../explanations.ts). */
import type { ExplanationTable } from './table';

export const FR: ExplanationTable = {
  failure: {
    GeneralError: {
      text: 'Stellantis a signalé une erreur générale',
      whatToDo: "réessayez dans quelques minutes ; si l'erreur persiste, vérifiez l'état du service Stellantis",
    },
    VehicleError: {
      text: "la voiture a signalé une erreur pendant l'exécution",
      whatToDo: "réessayez plus tard ; si l'erreur persiste, faites vérifier la voiture (voyant au tableau de bord, passage chez le concessionnaire)",
    },
    WrongCommand: {
      text: 'la voiture ne prend pas en charge cette commande',
      whatToDo: 'désactivez cette fonction pour le véhicule dans la configuration (vehicles[].features)',
    },
    VehicleConnectionTimeout: {
      text: "la voiture est injoignable : elle est hors couverture réseau, ou en veille profonde après 7 jours sans rouler",
      whatToDo: 'roulez avec la voiture (ou amenez-la dans une zone couverte) puis réessayez',
    },
    MissingRights: {
      text: "ce compte n'a pas le droit d'envoyer cette commande à la voiture",
      whatToDo: "reconnectez-vous en accordant toutes les autorisations à distance (`stellantis login`) et vérifiez que les services connectés sont activés pour la voiture dans l'application de la marque",
    },
    NotPossibleDueToVehicleBatteryLevel: {
      text: 'la batterie 12 V de la voiture est trop faible pour exécuter la commande',
      whatToDo: 'roulez avec la voiture ou rechargez sa batterie, puis réessayez',
    },
    NotPossibleDueToVehiclePrivacyLevel: {
      text: 'le mode confidentialité de la voiture interdit les commandes à distance',
      whatToDo: "changez le mode confidentialité dans la voiture (écran tactile : connectivité / confidentialité) puis réessayez",
    },
    TooManyWakeUpsOverMonth: {
      text: 'la voiture a été réveillée trop souvent ce mois-ci',
      whatToDo: 'attendez le mois prochain ou roulez avec la voiture ; évitez les actualisations fréquentes',
    },
    TooManyRequestInShortTime: {
      text: 'trop de commandes ont été envoyées à la voiture en peu de temps',
      whatToDo: "patientez quelques minutes avant d'envoyer une autre commande",
    },
    SameActionInProgress: {
      text: "une autre commande est encore en cours sur la voiture (peut-être depuis l'application de la marque)",
      whatToDo: "attendez qu'elle se termine, puis réessayez",
    },
    NotPossibleDueToVehicleStolenState: {
      text: 'la voiture est déclarée volée : les commandes à distance sont bloquées',
      whatToDo: "faites lever la déclaration de vol auprès de votre gestionnaire de flotte ou de l'assistance de la marque",
    },
    VehicleInUse: {
      text: 'la voiture est en cours d’utilisation (contact mis ou en roulage)',
      whatToDo: 'réessayez une fois la voiture garée et le contact coupé',
    },
    TooManyRequestSent: {
      text: 'trop de commandes ont été envoyées à cette voiture',
      whatToDo: "patientez un moment avant d'envoyer une autre commande",
    },
    DoorsOpen: {
      text: 'une portière (ou le coffre) est ouverte',
      whatToDo: 'fermez les portières et le coffre, puis réessayez',
    },
    VehicleErrorOrCidInside: {
      text: "la voiture a refusé : elle signale une erreur, ou une clé est restée à l'intérieur",
      whatToDo: "vérifiez qu'aucune clé n'est restée dans la voiture, puis réessayez",
    },
    CidInside: {
      text: 'une clé est restée dans la voiture',
      whatToDo: 'sortez la clé de la voiture, puis réessayez',
    },
    ExternalChargingSystemError: {
      text: "la borne ou le câble de recharge signale une erreur (ou la voiture n'est pas branchée)",
      whatToDo: 'vérifiez que le câble est branché et que la borne fonctionne, puis réessayez',
    },
    VehicleChargingSystemError: {
      text: 'le système de recharge de la voiture signale une erreur',
      whatToDo: "débranchez puis rebranchez le câble ; si l'erreur persiste, faites contrôler la voiture",
    },
    VehicleIsNotLocked: {
      text: 'la voiture doit être verrouillée pour cette commande',
      whatToDo: 'verrouillez la voiture, puis réessayez',
    },
    CanceledByDriver: {
      text: "la commande a été annulée depuis l'intérieur de la voiture",
      whatToDo: "rien à faire ; renvoyez-la si ce n'était pas voulu",
    },
  },
  pending: {
    Accepted: { text: 'acceptée par Stellantis', whatToDo: '' },
    WakingUpVehicle: { text: 'réveil de la voiture (cela peut prendre une à deux minutes)', whatToDo: '' },
    CheckingVehicle: { text: 'vérification que la voiture peut exécuter la commande', whatToDo: '' },
    SentToVehicle: { text: 'envoyée à la voiture, en attente de sa réponse', whatToDo: '' },
    VehicleBatteryChargeTooLow: {
      text: 'la batterie 12 V de la voiture est faible ; la commande risque d’échouer',
      whatToDo: 'roulez avec la voiture ou rechargez sa batterie prochainement',
    },
    TooManyWakeUpsOverMonth: {
      text: 'la voiture a atteint sa limite de réveils pour ce mois',
      whatToDo: 'la commande va probablement échouer ; attendez le mois prochain ou roulez avec la voiture',
    },
  },
  unknownCause: (cause) => `la voiture a refusé la commande (${cause})`,
  noReason: 'la commande a échoué sans raison indiquée',
  tryLater: 'réessayez plus tard',
  inProgress: (status) => `en cours (${status})`,
};
