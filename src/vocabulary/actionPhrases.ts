/**
 * How every face phrases an action, in one place: its short name in progress and end texts
 * ("start charging: done"), what the car now is for a short status ("charging"), and the verb
 * phrase of a log line ("could not lock the doors").
 */
import type { RemoteAction } from '../stellantis/actions';

/** The short name: "lock", "start preconditioning", "charge at 23:30". */
export function describeAction(action: RemoteAction): string {
  switch (action.kind) {
    case 'lock':
      return 'lock';
    case 'unlock':
      return 'unlock';
    case 'horn':
      return 'horn';
    case 'lights':
      return 'flash lights';
    case 'precondition':
      return action.on ? 'start preconditioning' : 'stop preconditioning';
    case 'precondition-programs':
      return 'preconditioning programs';
    case 'charge':
      return action.on ? 'start charging' : 'stop charging';
    case 'charge-at':
      return `charge at ${action.at}`;
    case 'charge-preferences':
      return 'charging preferences';
    case 'charge-programs':
      return action.programs.length === 0 ? 'remove the charging programs' : `charging programs (${action.programs.length})`;
    case 'immobilize':
      return action.on ? 'immobilize' : 'release immobilization';
    case 'stolen':
      return action.on ? 'declare stolen' : 'clear stolen state';
    case 'refresh':
      return 'refresh';
    case 'navigate':
      return 'send destination';
  }
}

/** What the car now is or did, for a short status: "locked", "preconditioning on"... */
export function doneLabel(action: RemoteAction): string {
  switch (action.kind) {
    case 'lock':
      return 'locked';
    case 'unlock':
      return 'unlocked';
    case 'horn':
      return 'horn sounded';
    case 'lights':
      return 'lights flashed';
    case 'precondition':
      return action.on ? 'preconditioning on' : 'preconditioning off';
    case 'precondition-programs':
      return 'programs saved';
    case 'charge':
      return action.on ? 'charging' : 'charging stopped';
    case 'charge-at':
      return `charging at ${action.at}`;
    case 'charge-preferences':
      return 'preferences saved';
    case 'charge-programs':
      return 'charging programs saved';
    case 'immobilize':
      return action.on ? 'immobilized' : 'immobilizer off';
    case 'stolen':
      return action.on ? 'declared stolen' : 'stolen cleared';
    case 'refresh':
      return 'refreshed';
    case 'navigate':
      return 'destination sent';
  }
}

/** What was asked, as a verb phrase: "lock the doors", "send the route to Work". */
export function verbPhrase(action: RemoteAction, destination?: string): string {
  switch (action.kind) {
    case 'lock':
      return 'lock the doors';
    case 'unlock':
      return 'unlock the doors';
    case 'horn':
      return 'sound the horn';
    case 'lights':
      return 'flash the lights';
    case 'precondition':
      return action.on ? 'start preconditioning' : 'stop preconditioning';
    case 'precondition-programs':
      return 'save the preconditioning programs';
    case 'charge':
      return action.on ? 'start charging' : 'stop charging';
    case 'charge-at':
      return `charge at ${action.at}`;
    case 'charge-preferences':
      return 'save the charging preferences';
    case 'charge-programs':
      return 'save the charging programs';
    case 'immobilize':
      return action.on ? 'immobilize the car' : 'release the immobilizer';
    case 'stolen':
      return action.on ? 'declare the car stolen' : 'clear the stolen state';
    case 'refresh':
      return 'refresh the state';
    case 'navigate':
      return destination === undefined ? 'send the route' : `send the route to ${destination}`;
  }
}
