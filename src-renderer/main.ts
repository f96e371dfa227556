import { mount } from 'svelte';
import './styles.css';
import App from './App.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');
mount(App, { target });
// Read by scripts/bench/renderer.mjs: time from navigation start to the first rendered view.
performance.mark('certdesk:mounted');
