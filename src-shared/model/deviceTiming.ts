// Timing arithmetic of the peripherals (tock-model.md §6), from a node's catalog parameters: pure functions shared
// by the engine (peripherals.ts) and the design lint (a WiFi link that is not up before the run ends).

import type { ParamValue } from '../catalog';

type Params = Readonly<Record<string, ParamValue>>;
const num = (p: Params, k: string): number => p[k] as number;

/** Integer ns for `bits` at `bitsPerSec` (rounded once, to the nearest ns). */
export function bitsNs(bits: number, bitsPerSec: number): number {
  return Math.round((bits * 1e9) / bitsPerSec);
}

/** IEEE 802.3 minimum frame: shorter frames are padded on the wire [V: IEEE 802.3 §3.2.8, 64 B]. */
export const ETHERNET_MIN_FRAME_BYTES = 64;

/** Bit rate of an STM32 Ethernet link speed (`100M` / `10M`). */
export function ethernetBps(p: Params): number {
  return p.linkSpeed === '10M' ? 10e6 : 100e6;
}

/**
 * Wire time of one Ethernet frame of `frameBytes` (as handed to the MAC): preamble + SFD, the frame (padded to the
 * 64-byte minimum) and the inter-frame gap, at the link rate. 1,518 B at 100 Mbit/s: 1,538 × 8 / 1e8 = 123.04 µs.
 */
export function ethernetWireNs(frameBytes: number, p: Params): number {
  const bytes = num(p, 'preambleBytes') + Math.max(frameBytes, ETHERNET_MIN_FRAME_BYTES) + num(p, 'ifgBytes');
  return bitsNs(bytes * 8, ethernetBps(p));
}

/** Bits per second of the CYW43439 host bus: gSPI 1 bit per clock (half duplex, one data line), SDIO 4 bits. */
export function cywBusBps(p: Params): number {
  return p.bus === 'sdio' ? 4 * num(p, 'sdioClockHz') : num(p, 'gspiClockHz');
}

/**
 * One CYW43439 bus transaction carrying `bytes`: command word + data (padded to whole 32-bit words, as the driver's
 * bus layer sends it: cyw4343/bus/spi.rs) + status word, at the bus rate.
 */
export function cywTransactionNs(bytes: number, p: Params): number {
  return bitsNs((2 * num(p, 'busWordBytes') + Math.ceil(bytes / 4) * 4) * 8, cywBusBps(p));
}

/**
 * The driver reads the chip's interrupt register (one word) before it reads an F2 data packet (cyw4343/bus/spi.rs:
 * the GPIO interrupt starts that read). A status word announcing the next packet is acted on only while an IOCTL
 * command is in progress (driver.rs `waiting_or_busy`); on the datapath every packet waits for the interrupt's read.
 */
export const CYW_IRQ_READ_BYTES = 4;
/** The CLM goes as "clmload" IOCTLs of ≤ 1,024 B, each behind its iovar name (8 B) and download header (12 B) [V: driver.rs]. */
const CLM_CHUNK_BYTES = 1_024;
const CLM_IOVAR_BYTES = 8 + 12;

/** An F2 (WLAN) packet of `bytes` (headers included): split into transactions of at most maxF2Bytes each. */
export function cywF2Ns(bytes: number, p: Params): number {
  const max = num(p, 'maxF2Bytes');
  const full = Math.floor(bytes / max);
  const rest = bytes - full * max;
  return full * cywTransactionNs(max, p) + (rest > 0 ? cywTransactionNs(rest, p) : 0);
}

/** A blob of `bytes` downloaded over F1 (backplane) in f1ChunkBytes chunks, each chunk one transaction. */
export function cywF1Ns(bytes: number, p: Params): number {
  const chunk = num(p, 'f1ChunkBytes');
  const full = Math.floor(bytes / chunk);
  const rest = bytes - full * chunk;
  return full * cywTransactionNs(chunk, p) + (rest > 0 ? cywTransactionNs(rest, p) : 0);
}

/**
 * Boot of the CYW43439 before the link is up, as Tock's driver does it (capsules/extra/src/cyw4343): its fixed
 * waits (`bootWaitNs`); firmware and NVRAM downloaded over F1 in chunks; the CLM as "clmload" IOCTLs of ≤ 1,024 B;
 * then `bootIoctls` IOCTLs on channel 0. Each IOCTL is a request and a response of SDPCM + CDC headers (their small
 * payloads, the firmware's processing time and the association with the access point are not modelled [E]).
 */
export function cywBootNs(p: Params): number {
  const f1 = cywF1Ns(num(p, 'firmwareBytes'), p) + cywF1Ns(num(p, 'nvramBytes'), p);
  const ctl = num(p, 'sdpcmHeaderBytes') + num(p, 'cdcHeaderBytes');
  const response = cywF2Ns(ctl, p);
  let clm = 0;
  for (let left = num(p, 'clmBytes'); left > 0; left -= CLM_CHUNK_BYTES) clm += cywF2Ns(ctl + CLM_IOVAR_BYTES + Math.min(left, CLM_CHUNK_BYTES), p) + response;
  return Math.round(num(p, 'bootWaitNs')) + f1 + clm + 2 * num(p, 'bootIoctls') * response;
}

/** Air time of a frame of `bytes` at the effective WiFi rate (airRateBps is a goodput: overheads lumped in [M]). */
export function cywAirNs(bytes: number, p: Params): number {
  return bitsNs(bytes * 8, num(p, 'airRateBps'));
}

/**
 * Bits of one CAN frame with an 11-bit identifier carrying `n` payload bytes, worst-case bit stuffing, including
 * the 3-bit interframe space.
 * Classic CAN (n ≤ 8), Davis, Burns, Bril & Lukkien, "Controller Area Network (CAN) schedulability analysis:
 * refuted, revisited and revised", Real-Time Systems 35(3), 2007, eq. (1): 47 + 8n + ⌊(34 + 8n − 1) / 4⌋
 * (34 stuffable bits SOF…CRC besides the data, 13 unstuffed: CRC delimiter, ACK slot + delimiter, EOF 7, IFS 3).
 * n = 8: 135 bits; n = 0: 55 bits.
 * CAN FD (n > 8, payload rounded up to the next DLC length 12/16/20/24/32/48/64; no bit-rate switch since the
 * catalog has one bitrate) [E, ISO 11898-1:2015 frame layout]: 22 arbitration + control bits, data, dynamic
 * stuffing ⌊(22 + 8n − 1) / 4⌋, stuff count 4, CRC 17 (n ≤ 16) or 21, fixed stuff bits 1 + ⌊(4 + CRC) / 4⌋,
 * and 13 trailing bits.
 */
export function canFrameBits(n: number): number {
  if (n <= 8) return 47 + 8 * n + Math.floor((33 + 8 * n) / 4);
  const dlc = [12, 16, 20, 24, 32, 48, 64].find((d) => d >= n) ?? 64;
  const crc = dlc <= 16 ? 17 : 21;
  return 22 + 8 * dlc + Math.floor((21 + 8 * dlc) / 4) + 4 + crc + 1 + Math.floor((4 + crc) / 4) + 13;
}
