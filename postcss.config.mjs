// Tailwind 4 through PostCSS: Next reads this file from the project root.
export default { plugins: { "@tailwindcss/postcss": {} } };
