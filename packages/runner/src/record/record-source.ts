import type { Exchange } from '@botplatform/sdk';

/**
 * What the recorder needs of a venue: its id, its instruments and a market feed into a sink.
 * Every SDK `Exchange` is one (the recorder never places orders), and so is a fake in tests.
 */
export type RecordSource = Pick<Exchange, 'id' | 'instruments' | 'connect' | 'close'>;
