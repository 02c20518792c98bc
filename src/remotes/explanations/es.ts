/** Las explicaciones en español (la fuente es el inglés, ../explanations.ts). */
import type { ExplanationTable } from './table';

export const ES: ExplanationTable = {
  failure: {
    GeneralError: {
      text: 'Stellantis ha informado de un error general',
      whatToDo: 'vuelve a intentarlo en unos minutos; si sigue fallando, consulta el estado del servicio de Stellantis',
    },
    VehicleError: {
      text: 'el coche ha informado de un error al ejecutar la orden',
      whatToDo: 'vuelve a intentarlo más tarde; si sigue fallando, revisa el coche (un testigo en el cuadro, una visita al taller)',
    },
    WrongCommand: {
      text: 'el coche no admite esta orden',
      whatToDo: 'desactiva esta función para el vehículo en la configuración (vehicles[].features)',
    },
    VehicleConnectionTimeout: {
      text: 'no se puede contactar con el coche: está sin cobertura, o en reposo profundo tras 7 días sin circular',
      whatToDo: 'conduce el coche (o llévalo a una zona con cobertura) y vuelve a intentarlo',
    },
    MissingRights: {
      text: 'esta cuenta no tiene permiso para enviar esta orden al coche',
      whatToDo: 'vuelve a iniciar sesión concediendo todos los permisos remotos (`stellantis login`) y comprueba que los servicios conectados están activados para el coche en la app de la marca',
    },
    NotPossibleDueToVehicleBatteryLevel: {
      text: 'la batería de 12 V del coche está demasiado baja para ejecutar la orden',
      whatToDo: 'conduce el coche o carga su batería y vuelve a intentarlo',
    },
    NotPossibleDueToVehiclePrivacyLevel: {
      text: 'el ajuste de privacidad del coche impide las órdenes remotas',
      whatToDo: 'cambia el modo de privacidad en el coche (pantalla táctil: conectividad / privacidad) y vuelve a intentarlo',
    },
    TooManyWakeUpsOverMonth: {
      text: 'el coche se ha despertado demasiadas veces este mes',
      whatToDo: 'espera al mes que viene o conduce el coche; evita actualizar con frecuencia',
    },
    TooManyRequestInShortTime: {
      text: 'se han enviado demasiadas órdenes al coche en poco tiempo',
      whatToDo: 'espera unos minutos antes de enviar otra orden',
    },
    SameActionInProgress: {
      text: 'otra orden sigue en curso en el coche (quizá enviada desde la app de la marca)',
      whatToDo: 'espera a que termine y vuelve a intentarlo',
    },
    NotPossibleDueToVehicleStolenState: {
      text: 'el coche está declarado como robado, así que las órdenes remotas están bloqueadas',
      whatToDo: 'anula la declaración de robo con tu gestor de flota o la asistencia de la marca',
    },
    VehicleInUse: {
      text: 'el coche está en uso (contacto puesto o en marcha)',
      whatToDo: 'vuelve a intentarlo cuando el coche esté aparcado y apagado',
    },
    TooManyRequestSent: {
      text: 'se han enviado demasiadas órdenes a este coche',
      whatToDo: 'espera un rato antes de enviar otra orden',
    },
    DoorsOpen: {
      text: 'hay una puerta (o el maletero) abierta',
      whatToDo: 'cierra las puertas y el maletero y vuelve a intentarlo',
    },
    VehicleErrorOrCidInside: {
      text: 'el coche ha rechazado la orden: informa de un error, o hay una llave dentro',
      whatToDo: 'comprueba que no haya ninguna llave dentro del coche y vuelve a intentarlo',
    },
    CidInside: {
      text: 'hay una llave dentro del coche',
      whatToDo: 'saca la llave del coche y vuelve a intentarlo',
    },
    ExternalChargingSystemError: {
      text: 'el punto de carga o el cable informan de un error (o el coche no está enchufado)',
      whatToDo: 'comprueba que el cable está enchufado y que el punto de carga funciona, y vuelve a intentarlo',
    },
    VehicleChargingSystemError: {
      text: 'el sistema de carga del coche informa de un error',
      whatToDo: 'desenchufa y vuelve a enchufar el cable; si sigue fallando, lleva el coche a revisar',
    },
    VehicleIsNotLocked: {
      text: 'el coche debe estar bloqueado para esta orden',
      whatToDo: 'bloquea el coche y vuelve a intentarlo',
    },
    CanceledByDriver: {
      text: 'la orden se ha cancelado desde dentro del coche',
      whatToDo: 'no hace falta nada; vuelve a enviarla si no era intencionado',
    },
  },
  pending: {
    Accepted: { text: 'aceptada por Stellantis', whatToDo: '' },
    WakingUpVehicle: { text: 'despertando el coche (puede tardar uno o dos minutos)', whatToDo: '' },
    CheckingVehicle: { text: 'comprobando que el coche puede ejecutar la orden', whatToDo: '' },
    SentToVehicle: { text: 'enviada al coche, esperando su respuesta', whatToDo: '' },
    VehicleBatteryChargeTooLow: {
      text: 'la batería de 12 V del coche está baja; la orden puede fallar',
      whatToDo: 'conduce el coche o carga su batería pronto',
    },
    TooManyWakeUpsOverMonth: {
      text: 'el coche ha alcanzado su límite de activaciones de este mes',
      whatToDo: 'la orden probablemente fallará; espera al mes que viene o conduce el coche',
    },
  },
  unknownCause: (cause) => `el coche ha rechazado la orden (${cause})`,
  noReason: 'la orden ha fallado sin indicar el motivo',
  tryLater: 'vuelve a intentarlo más tarde',
  inProgress: (status) => `en curso (${status})`,
};
