import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Covers src/, web/, test/, bench/, scripts/ and assembly/. AssemblyScript is TypeScript syntax and the TS parser
// reads it like the rest; its builtins (load, store, unchecked, i32, f64, v128, …) are names ESLint cannot see, but
// typescript-eslint already turns no-undef off for .ts files (the compilers report undefined names), so every rule
// applies to assembly/ as it is.
export default tseslint.config(
  { ignores: ['dist/', 'build/', 'node_modules/', 'web/dist/', 'results/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // Portable math (docs/architecture.md): the host must compute the same bits in every JavaScript engine, so in
  // src/ the Math functions that ECMAScript leaves "implementation-approximated" (they differ in the last bit
  // between engines and engine versions) and the `**` operator (which is Math.pow) are forbidden; use
  // src/math/portable.ts, or write x * x. Math.sqrt, abs, floor, min, max, … are exact and stay allowed. The
  // gl-matrix functions that call Math.sin / cos / acos inside are forbidden too: build the rotation from portable
  // sin / cos and keep gl-matrix for the algebra. web/ (drawing) and assembly/ (AssemblyScript compiles its own
  // Math into the module) are not concerned.
  {
    files: ['src/**/*.ts'],
    ignores: ['src/math/portable.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...[
          'sin',
          'cos',
          'tan',
          'asin',
          'acos',
          'atan',
          'atan2',
          'sinh',
          'cosh',
          'tanh',
          'asinh',
          'acosh',
          'atanh',
          'exp',
          'expm1',
          'log',
          'log1p',
          'log2',
          'log10',
          'pow',
          'cbrt',
          'hypot',
        ].map((property) => ({
          object: 'Math',
          property,
          message: `Math.${property} differs between JavaScript engines in the last bit: use src/math/portable.ts.`,
        })),
        ...[
          ['vec2', ['angle', 'rotate', 'signedAngle']],
          ['vec3', ['angle', 'rotateX', 'rotateY', 'rotateZ', 'slerp']],
          ['mat2', ['fromRotation', 'rotate']],
          ['mat2d', ['fromRotation', 'rotate']],
          ['mat3', ['fromRotation', 'rotate']],
          [
            'mat4',
            [
              'fromRotation',
              'fromXRotation',
              'fromYRotation',
              'fromZRotation',
              'rotate',
              'rotateX',
              'rotateY',
              'rotateZ',
            ],
          ],
          [
            'quat',
            [
              'exp',
              'ln',
              'pow',
              'fromEuler',
              'getAngle',
              'getAxisAngle',
              'setAxisAngle',
              'rotateX',
              'rotateY',
              'rotateZ',
              'slerp',
              'sqlerp',
            ],
          ],
        ].flatMap(([object, properties]) =>
          properties.map((property) => ({
            object,
            property,
            message: `gl-matrix's ${object}.${property} calls Math.sin / cos / acos inside: build the matrix from src/math/portable.ts.`,
          })),
        ),
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "BinaryExpression[operator='**'], AssignmentExpression[operator='**=']",
          message:
            '`**` is Math.pow, which differs between JavaScript engines in the last bit (for any exponent: the standard does not require x ** 2 === x * x): write the products, or use src/math/portable.ts.',
        },
      ],
    },
  },
);
