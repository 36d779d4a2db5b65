export { loadMnistDigits, mnistDataset } from './mnist.js';
