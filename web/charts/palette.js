// Okabe–Ito colours (safe for the common colour-vision deficiencies). Train
// and test also differ by line style, so no chart relies on colour alone.
export const COLOURS = {
  black: '#000000',
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  green: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  purple: '#CC79A7',
  grey: '#8a8a8a',
};

export const TRAIN = { stroke: COLOURS.blue, dash: [] };
export const TEST = { stroke: COLOURS.vermillion, dash: [7, 4] };
export const DENSE_TRAIN = { stroke: COLOURS.skyBlue, dash: [2, 3] };
export const DENSE_TEST = { stroke: COLOURS.orange, dash: [2, 3] };
// Run A of an A/B comparison: dotted, in colours B's lines do not use.
export const A_TRAIN = { stroke: COLOURS.black, dash: [2, 3] };
export const A_TEST = { stroke: COLOURS.purple, dash: [2, 3] };
// Run A's path in view 6, where purple is L1's: black and grey, thin, with hollow points.
export const A_PATH_TRAIN = { stroke: COLOURS.black, dash: [2, 3] };
export const A_PATH_TEST = { stroke: COLOURS.grey, dash: [8, 3, 2, 3] };
