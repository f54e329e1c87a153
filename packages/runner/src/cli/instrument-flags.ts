import { readFileSync } from 'node:fs';
import {
  BINANCE_FUTURES_ID,
  BINANCE_FUTURES_VIP0_FEES,
  type FeeRates,
  instrumentsFromExchangeInfo,
} from '@botplatform/exchanges';
import { type Instrument, instrumentSchema } from '@botplatform/sdk';
import type { Command } from 'commander';
import { z } from 'zod';
import type { ImportSink } from '../data/importers/import-sink.js';
import type { InstrumentResolver } from '../data/importers/instrument-resolver.js';
import { INSTRUMENT_FIELDS, instrumentFromRow } from '../data/instrument-table.js';
import { UserError } from './user-error.js';

/** The instrument flags as commander hands them over (strings; validated by `instrumentFlagsSchema`). */
export interface InstrumentFlagValues {
  exchangeInfo?: string;
  instrument?: string[];
  makerFee?: string;
  takerFee?: string;
}

/**
 * Adds the options every importer of exchange data shares: where the trading rules of the
 * symbols in the data come from (archives carry prices and sizes, never tick size or fees).
 */
export function addInstrumentOptions(cmd: Command): Command {
  return cmd
    .option(
      '--exchange-info <file.json>',
      'a saved response of Binance USD-M GET https://fapi.binance.com/fapi/v1/exchangeInfo: tick size, step size, min qty and min notional of every binance-futures symbol',
    )
    .option(
      '--instrument <json>',
      `one instrument as a JSON object, as in a normalized file's instrument line, e.g. '{"exchange":"binance-futures","symbol":"BTCUSDT","tickSize":0.1,"stepSize":0.001}' (repeatable; wins over --exchange-info)`,
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option(
      '--maker-fee <rate>',
      `maker fee rate (fraction of notional, negative = rebate) for instruments from --exchange-info and --instrument lines without one (default ${BINANCE_FUTURES_VIP0_FEES.makerFee}, Binance USD-M VIP 0)`,
    )
    .option(
      '--taker-fee <rate>',
      `taker fee rate for instruments from --exchange-info and --instrument lines without one (default ${BINANCE_FUTURES_VIP0_FEES.takerFee}, Binance USD-M VIP 0)`,
    );
}

const feeRate = (flag: string) =>
  z
    .string()
    .trim()
    .min(1)
    .transform(Number)
    .pipe(
      z
        .number({ error: `${flag} must be a number such as 0.0002` })
        .finite({ error: `${flag} must be a number such as 0.0002` })
        .gt(-0.01, { error: `${flag} must be above -0.01 (it is a fraction: 0.0002 = 0.02%)` })
        .lt(0.01, { error: `${flag} must be below 0.01 (it is a fraction: 0.0005 = 0.05%)` }),
    );

/** Validates the flags' strings (every flag is outside input). */
export const instrumentFlagsSchema = z.object({
  exchangeInfo: z.string().min(1).optional(),
  instrument: z.array(z.string()).default([]),
  makerFee: feeRate('--maker-fee').optional(),
  takerFee: feeRate('--taker-fee').optional(),
});

/** An --instrument value: a normalized instrument line, its `type` tag optional. */
const instrumentFlagSchema = z.looseObject({ type: z.literal('instrument').optional() });

/**
 * Resolves the instrument of each (exchange, symbol) an import meets: first the --instrument
 * flags, then --exchange-info (binance-futures symbols), both written to the store when new or
 * different (so fees and filters given now replace older ones); else an instrument already in
 * the target store; else a UserError naming the symbol and the flags that would provide it.
 */
export class FlagInstrumentResolver implements InstrumentResolver {
  private constructor(
    /** `exchange symbol` → instrument, from the flags. */
    private readonly fromFlags: ReadonlyMap<string, Instrument>,
    private readonly exchangeInfoFile: string | undefined,
  ) {}

  /** Reads and validates the flags (the exchangeInfo file is read once, here). */
  static fromFlags(values: InstrumentFlagValues): FlagInstrumentResolver {
    const parsed = instrumentFlagsSchema.safeParse(values);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new UserError(`${issue?.message ?? 'invalid instrument flags'}`);
    }
    const flags = parsed.data;
    const fees: FeeRates = {
      makerFee: flags.makerFee ?? BINANCE_FUTURES_VIP0_FEES.makerFee,
      takerFee: flags.takerFee ?? BINANCE_FUTURES_VIP0_FEES.takerFee,
    };
    const byKey = new Map<string, Instrument>();
    if (flags.exchangeInfo !== undefined) {
      for (const inst of readExchangeInfo(flags.exchangeInfo, fees))
        byKey.set(key(inst.exchange, inst.symbol), inst);
    }
    for (const text of flags.instrument) {
      const inst = parseInstrumentFlag(text, flags.makerFee, flags.takerFee);
      byKey.set(key(inst.exchange, inst.symbol), inst);
    }
    return new FlagInstrumentResolver(byKey, flags.exchangeInfo);
  }

  /** The instrument the flags give for (exchange, symbol), if any. */
  find(exchange: string, symbol: string): Instrument | undefined {
    return this.fromFlags.get(key(exchange, symbol));
  }

  async resolve(sink: ImportSink, exchange: string, symbol: string, where: string): Promise<Instrument> {
    const given = this.find(exchange, symbol);
    const stored = await storedInstrument(sink, exchange, symbol);
    if (given) {
      // Written when new or changed, so a re-run with the same flags reports no instrument rows.
      if (!stored || !sameInstrument(given, stored)) await sink.addInstrument(given);
      return given;
    }
    if (stored) return stored;
    const example = JSON.stringify({ exchange, symbol, tickSize: 0.1, stepSize: 0.001 });
    const binanceHint =
      exchange !== BINANCE_FUTURES_ID
        ? ''
        : this.exchangeInfoFile === undefined
          ? ' --exchange-info <exchangeInfo.json> (a saved GET https://fapi.binance.com/fapi/v1/exchangeInfo) or'
          : ` (${this.exchangeInfoFile} does not list ${symbol}: delisted?)`;
    throw new UserError(
      `${where}: no instrument for ${exchange} ${symbol} in the flags or the store; pass${binanceHint} --instrument '${example}' with its real tick and step size`,
    );
  }
}

function sameInstrument(a: Instrument, b: Instrument): boolean {
  return (
    a.tickSize === b.tickSize &&
    a.stepSize === b.stepSize &&
    a.minQty === b.minQty &&
    a.minNotional === b.minNotional &&
    a.makerFee === b.makerFee &&
    a.takerFee === b.takerFee &&
    a.contractSize === b.contractSize &&
    (a.maxQty ?? Number.POSITIVE_INFINITY) === (b.maxQty ?? Number.POSITIVE_INFINITY)
  );
}

function key(exchange: string, symbol: string): string {
  return `${exchange} ${symbol}`;
}

function readExchangeInfo(file: string, fees: FeeRates): Instrument[] {
  let text: string;
  try {
    // A few MB at most: JSON has to be parsed whole anyway.
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UserError(
      `--exchange-info ${file} cannot be read; save GET https://fapi.binance.com/fapi/v1/exchangeInfo to a file and pass its path`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UserError(
      `--exchange-info ${file} is not valid JSON (${err instanceof Error ? err.message : String(err)}); save the response body of GET /fapi/v1/exchangeInfo as is`,
    );
  }
  try {
    return instrumentsFromExchangeInfo(json, fees);
  } catch (err) {
    throw new UserError(
      `--exchange-info ${file}: ${err instanceof Error ? err.message : String(err)}; pass the response of Binance USD-M GET /fapi/v1/exchangeInfo`,
    );
  }
}

function parseInstrumentFlag(text: string, makerFee?: number, takerFee?: number): Instrument {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UserError(
      `--instrument ${text} is not a JSON object; pass e.g. '{"exchange":"binance-futures","symbol":"BTCUSDT","tickSize":0.1,"stepSize":0.001}' (quote it for the shell)`,
    );
  }
  const tagged = instrumentFlagSchema.safeParse(json);
  if (!tagged.success) {
    throw new UserError(`--instrument ${text}: "type" must be "instrument" or absent`);
  }
  const { type: _type, ...fields } = tagged.data;
  // The fee flags fill in fees the JSON leaves out (the schema's defaults would otherwise).
  const withFees = {
    ...(makerFee === undefined ? {} : { makerFee }),
    ...(takerFee === undefined ? {} : { takerFee }),
    ...fields,
  };
  const parsed = instrumentSchema.safeParse(withFees);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new UserError(
      `--instrument ${text}: ${where}${issue?.message ?? 'invalid'}; exchange, symbol, tickSize and stepSize are required`,
    );
  }
  return parsed.data;
}

/** The instrument of (exchange, symbol) already in the target store, if any. */
async function storedInstrument(
  sink: ImportSink,
  exchange: string,
  symbol: string,
): Promise<Instrument | undefined> {
  if (sink.writer.symOf(exchange, symbol) === undefined) return undefined;
  const [r] = await sink.writer.query(
    `SELECT ${INSTRUMENT_FIELDS} FROM instruments WHERE exchange = $1 AND symbol = $2`,
    [exchange, symbol],
  );
  return r ? instrumentFromRow(exchange, symbol, r) : undefined;
}
