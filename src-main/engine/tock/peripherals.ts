// Peripherals (CYW43439, STM32 Ethernet MAC, VirtIO devices, CAN source) as channels of the Tock model.
// Not modelled yet: see `makePeripheral`.

import type { DesignNode } from '../../../src-shared/model';
import type { TockModel } from './model';
import type { ChannelRt } from './runtime';

/** Thrown for a design whose parts the engine cannot simulate yet; the CLI prints the message. */
export class NotModelledError extends Error {}

/** Builds the runtime of a peripheral node. */
export function makePeripheral(_m: TockModel, node: DesignNode, _idx: number): ChannelRt {
  throw new NotModelledError(`"${node.name}" (${node.kind}): peripherals are not simulated yet`);
}
