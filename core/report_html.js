/* weft's HTML report (report_html.c embeds this file): draws the data in
 * the page's #weft-data as a timeline, one lane per thread. Plain ES5 and
 * DOM calls only, no network. #weft-status records what was drawn and any
 * script error, for tests that read the page in a headless browser. */
(function () {
	'use strict';
	var errors = [];
	var statusEl = document.createElement('div');
	statusEl.id = 'weft-status';
	statusEl.hidden = true;
	document.body.appendChild(statusEl);
	function noteError(text) {
		errors.push(String(text));
		statusEl.setAttribute('data-errors', String(errors.length));
		statusEl.setAttribute('data-error-text', errors.join(' | '));
	}
	window.addEventListener('error', function (e) { noteError(e.message); });
	var consoleError = console.error;
	console.error = function () {
		noteError(Array.prototype.join.call(arguments, ' '));
		return consoleError.apply(console, arguments);
	};

	function el(tag, cls, text) {
		var e = document.createElement(tag);
		if (cls) e.className = cls;
		if (text !== undefined && text !== null) e.textContent = text;
		return e;
	}

	/* The source lines around a frame's line, when the report carries them. */
	function sourceOf(sources, frame) {
		var lines = sources[frame.file];
		if (!lines || !frame.line) return null;
		var pre = el('pre', 'src');
		var shown = 0;
		for (var n = frame.line - 3; n <= frame.line + 3; n++) {
			if (lines[n] === undefined) continue;
			var row = el('span', n === frame.line ? 'hit' : '');
			row.appendChild(el('i', null, String(n)));
			row.appendChild(document.createTextNode(lines[n]));
			pre.appendChild(row);
			shown++;
		}
		return shown ? pre : null;
	}

	function showDetails(panel, bug, item) {
		panel.textContent = '';
		panel.appendChild(el('h2', null, item.title));
		if (item.sub) panel.appendChild(el('p', 'sub', item.sub));
		if (item.at) {
			var p = el('p', 'sub');
			p.appendChild(document.createTextNode('at '));
			p.appendChild(el('span', 'mono', item.at));
			panel.appendChild(p);
		}
		if (!item.stack || !item.stack.length) {
			panel.appendChild(el('p', 'note', bug.stacks || item.isRace
				? 'no call stack for this step'
				: 'this execution kept no call stacks'));
			return;
		}
		panel.appendChild(el('p', 'sub', 'call stack, innermost first (the program\u2019s own code in green):'));
		item.stack.forEach(function (frame) {
			var div = el('div', 'frame' + (frame.own ? ' own' : ''));
			div.appendChild(el('div', 'where mono', frame.at));
			if (frame.own) {
				var src = sourceOf(bug.sources, frame);
				if (src) div.appendChild(src);
			}
			panel.appendChild(div);
		});
	}

	function threadName(t) { return 'T' + t; }

	function drawBug(root, bug, index) {
		var section = el('section', 'bug');
		section.id = 'bug-' + index;
		var header = el('header');
		header.appendChild(el('span', 'kind', bug.kind));
		header.appendChild(el('h1', null, bug.message));
		header.appendChild(el('p', 'meaning', bug.meaning + '; found in execution ' + bug.execution +
			'; ' + bug.nsteps + ' steps'));
		var replay = el('div', 'replay');
		replay.appendChild(el('span', null, 'replay:'));
		var code = el('code', null, bug.replay);
		replay.appendChild(code);
		var copy = el('button', null, 'copy');
		copy.addEventListener('click', function () {
			if (navigator.clipboard) navigator.clipboard.writeText(bug.replay).catch(function () {});
		});
		replay.appendChild(copy);
		header.appendChild(replay);
		section.appendChild(header);
		var legend = el('div', 'legend');
		legend.appendChild(el('span', 'l-choice', 'a choice weft made (\u2605)'));
		legend.appendChild(el('span', 'l-fail', 'where the bug shows'));
		legend.appendChild(el('span', 'l-own', 'the program\u2019s own code'));
		legend.appendChild(el('span', null, 'click a step for its stack and source'));
		section.appendChild(legend);

		var main = el('div', 'main');
		var wrap = el('div', 'timeline-wrap');
		var grid = el('div', 'timeline');
		var panel = el('aside', 'panel');
		var nthreads = bug.threads.length;
		bug.steps.forEach(function (s) { if (s.t + 1 > nthreads) nthreads = s.t + 1; });
		grid.style.gridTemplateColumns = '52px repeat(' + nthreads + ', minmax(170px, 1fr))';

		/* Rows: the header, the steps (with a race's accesses placed after
		 * the step their thread made last), a gap if steps were left out,
		 * then each thread's end. */
		var rows = [];
		var race = bug.race;
		var raceAfter = {};
		if (race) {
			race.accesses.forEach(function (a, k) {
				/* Without the step it came after, the access is placed
				 * after its thread's first step (it ran at some point). */
				var key = a.after_step;
				if (key === null) {
					key = -1;
					for (var i = 0; i < bug.steps.length && key < 0; i++)
						if (bug.steps[i].t === a.thread) key = bug.steps[i].i;
				}
				(raceAfter[key] = raceAfter[key] || []).push(k);
			});
		}
		function pushRace(key) {
			(raceAfter[key] || []).forEach(function (k) { rows.push({race: k}); });
		}
		pushRace(-1);
		var last = -1;
		bug.steps.forEach(function (s) {
			if (last >= 0 && s.i !== last + 1) rows.push({gap: s.i - last - 1});
			rows.push({step: s});
			pushRace(s.i);
			last = s.i;
		});
		var endRow = rows.length + 2; /* grid rows are 1-based, row 1 the header */

		grid.appendChild(el('div', 'step-head', 'step'));
		for (var t = 0; t < nthreads; t++) {
			var head = el('div', 'lane-head', threadName(t));
			head.style.gridColumn = String(t + 2);
			head.style.gridRow = '1';
			grid.appendChild(head);
			var bg = el('div', 'lane-bg' + (t % 2 ? ' odd' : ''));
			bg.style.gridColumn = String(t + 2);
			bg.style.gridRow = '2 / ' + (endRow + 1);
			grid.appendChild(bg);
		}

		var items = [];
		var failing = [];
		var boxes = {step: {}, race: {}, end: {}};
		function addBox(row, lane, item, lines, cls) {
			var box = el('div', 'box ' + (cls || ''));
			box.style.gridColumn = String(lane + 2);
			box.style.gridRow = String(row);
			lines.forEach(function (l) { box.appendChild(l); });
			box.title = item.title + (item.at ? '\n' + item.at : '');
			box.addEventListener('click', function () { select(item, box); });
			grid.appendChild(box);
			item.box = box;
			items.push(item);
			return box;
		}
		var selected = null;
		function select(item, box) {
			if (selected) selected.classList.remove('selected');
			selected = box;
			box.classList.add('selected');
			showDetails(panel, bug, item);
		}
		function opLine(op, obj, star) {
			var d = el('div', 'op');
			if (star) d.appendChild(el('span', 'star', '\u2605'));
			d.appendChild(document.createTextNode(op + ' '));
			if (obj) d.appendChild(el('span', 'obj', obj));
			return d;
		}

		var lastStep = bug.steps.length ? bug.steps[bug.steps.length - 1] : null;
		var stepFails = ['deadlock', 'leak', 'data-race', 'hang'].indexOf(bug.kind) < 0;
		rows.forEach(function (r, k) {
			var row = k + 2;
			if (r.gap) {
				var g = el('div', 'stepno', '\u22ee');
				g.style.gridRow = String(row);
				g.title = r.gap + ' steps not shown';
				grid.appendChild(g);
				return;
			}
			if (r.step) {
				var s = r.step;
				var no = el('div', 'stepno', String(s.i));
				no.style.gridRow = String(row);
				grid.appendChild(no);
				var fails = stepFails && s === lastStep;
				var item = {
					title: 'step ' + s.i + ' \u00b7 ' + threadName(s.t) + ' \u00b7 ' + s.op + (s.obj ? ' ' + s.obj : ''),
					sub: s.choice ? 'a choice weft made: ' + s.enabled.map(threadName).join(', ') +
						' could run; ' + threadName(s.t) + ' ran' : 'only ' + threadName(s.t) + ' could run',
					at: s.at, stack: s.stack
				};
				var box = addBox(row, s.t, item, [opLine(s.op, s.obj, s.choice), el('div', 'at', s.at || '\u00a0')],
					(s.choice ? 'choice ' : '') + (fails ? 'failing' : ''));
				box.setAttribute('data-step', String(s.i));
				boxes.step[s.i] = box;
				if (fails) failing.push(item);
				return;
			}
			var a = race.accesses[r.race];
			var what = a.kind + (a.size ? ' of ' + a.size + ' byte' + (a.size === 1 ? '' : 's') : '') + ' of ' + race.object;
			var ritem = {
				title: threadName(a.thread) + ' ' + what,
				sub: (r.race === 0 ? 'the earlier access of the race' : 'the later access, which found the race') +
					(a.after_step === null ? '; weft did not record after which step of its thread it came' : ''),
				at: a.at, stack: a.stack, isRace: true
			};
			var rbox = addBox(row, a.thread, ritem, [opLine('race: ' + a.kind, race.object, false),
				el('div', 'at', a.at || '\u00a0')], 'race failing');
			boxes.race[r.race] = rbox;
			failing.push(ritem);
		});

		var endHead = el('div', 'end-head', 'end');
		endHead.style.gridRow = String(endRow);
		grid.appendChild(endHead);
		var stuckKinds = {deadlock: 1, leak: 1};
		bug.threads.forEach(function (th) {
			/* The thread that ended the process, said the way it ended. */
			var ended = {assertion: 'aborted after ', crash: 'crashed after '}[bug.kind];
			var words = {
				exited: 'exited', blocked: 'blocked in ' + th.pending, stuck: 'stuck after ' + th.pending,
				crashed: 'crashed after ' + th.pending, aborted: 'aborted after ' + th.pending,
				running: (ended || 'running after ') + th.pending, ready: 'ready at ' + th.pending
			}[th.state] || th.state;
			var fails = (stuckKinds[bug.kind] && th.state === 'blocked') ||
				th.state === 'stuck' || th.state === 'crashed' || th.state === 'aborted' ||
				(ended && th.state === 'running');
			var lines = [el('div', 'op', words)];
			if (th.holds) lines.push(el('div', 'at', 'holds ' + th.holds));
			if (th.state !== 'exited') lines.push(el('div', 'at', th.at || '\u00a0'));
			var item = {
				title: threadName(th.id) + ' at the end: ' + words,
				sub: th.holds ? 'holds ' + th.holds : '', at: th.state === 'exited' ? '' : th.at,
				stack: th.state === 'exited' ? [] : th.stack
			};
			var box = addBox(endRow, th.id, item, lines, 'final ' + th.state + (fails ? ' failing' : ''));
			box.setAttribute('data-thread', String(th.id));
			boxes.end[th.id] = box;
			/* Where a thread crashed, aborted or stuck comes first. */
			if (fails && (th.state === 'crashed' || th.state === 'aborted' || th.state === 'stuck'))
				failing.unshift(item);
			else if (fails)
				failing.push(item);
		});

		var svgNS = 'http://www.w3.org/2000/svg';
		var svg = document.createElementNS(svgNS, 'svg');
		svg.setAttribute('class', 'arrows');
		var defs = document.createElementNS(svgNS, 'defs');
		['fail', 'race'].forEach(function (name) {
			var marker = document.createElementNS(svgNS, 'marker');
			marker.setAttribute('id', 'arrow-' + name + '-' + index);
			marker.setAttribute('viewBox', '0 0 10 10');
			marker.setAttribute('refX', '9');
			marker.setAttribute('refY', '5');
			marker.setAttribute('markerWidth', '7');
			marker.setAttribute('markerHeight', '7');
			marker.setAttribute('orient', 'auto-start-reverse');
			var tip = document.createElementNS(svgNS, 'path');
			tip.setAttribute('d', 'M 0 0 L 10 5 L 0 10 z');
			tip.setAttribute('fill', name === 'fail' ? '#d92d20' : '#7a2ee0');
			marker.appendChild(tip);
			defs.appendChild(marker);
		});
		svg.appendChild(defs);
		grid.appendChild(svg);

		/* Arrows: each blocked thread to the thread it waits for (a
		 * deadlock's cycle), and a race's earlier access to its later. */
		var arrows = [];
		bug.threads.forEach(function (th) {
			if (th.waits_for >= 0 && boxes.end[th.id] && boxes.end[th.waits_for])
				arrows.push({from: boxes.end[th.id], to: boxes.end[th.waits_for], kind: 'fail',
					label: 'waits for ' + threadName(th.waits_for)});
		});
		if (race && boxes.race[0] && boxes.race[1])
			arrows.push({from: boxes.race[0], to: boxes.race[1], kind: 'race', label: 'races with'});

		function drawArrows() {
			while (svg.lastChild !== defs) svg.removeChild(svg.lastChild);
			svg.setAttribute('width', String(grid.scrollWidth));
			svg.setAttribute('height', String(grid.scrollHeight));
			arrows.forEach(function (a, k) {
				var f = a.from, t = a.to;
				var x1 = f.offsetLeft + f.offsetWidth / 2, x2 = t.offsetLeft + t.offsetWidth / 2;
				var d, lx, ly;
				if (f.offsetTop === t.offsetTop) {
					/* same row, a thread's end to another's: curved below,
					 * deeper from right to left, so a cycle's two arrows part */
					var y = f.offsetTop + f.offsetHeight;
					var dip = x2 > x1 ? 20 : 44;
					d = 'M ' + x1 + ' ' + y + ' C ' + x1 + ' ' + (y + dip) + ', ' + x2 + ' ' + (y + dip) + ', ' + x2 + ' ' + (y + 2);
					lx = x1 + (x2 - x1) * 0.5; ly = y + dip * 0.75 + (x2 > x1 ? -3 : 12);
				} else {
					var y1 = f.offsetTop + f.offsetHeight, y2 = t.offsetTop;
					d = 'M ' + x1 + ' ' + y1 + ' C ' + x1 + ' ' + (y1 + 30) + ', ' + x2 + ' ' + (y2 - 30) + ', ' + x2 + ' ' + (y2 - 1);
					lx = (x1 + x2) / 2 + 4; ly = (y1 + y2) / 2;
				}
				var path = document.createElementNS(svgNS, 'path');
				path.setAttribute('d', d);
				path.setAttribute('stroke', a.kind === 'fail' ? '#d92d20' : '#7a2ee0');
				path.setAttribute('marker-end', 'url(#arrow-' + a.kind + '-' + index + ')');
				svg.appendChild(path);
				var text = document.createElementNS(svgNS, 'text');
				text.setAttribute('x', String(lx));
				text.setAttribute('y', String(ly));
				text.setAttribute('text-anchor', 'middle');
				text.setAttribute('fill', a.kind === 'fail' ? '#d92d20' : '#7a2ee0');
				text.textContent = a.label;
				svg.appendChild(text);
			});
		}

		wrap.appendChild(grid);
		main.appendChild(wrap);
		main.appendChild(panel);
		section.appendChild(main);
		if (bug.output) {
			var out = el('details', 'output');
			out.open = true;
			out.appendChild(el('summary', null, 'the program\u2019s last output (stdout and stderr, as written)'));
			out.appendChild(el('pre', null, bug.output));
			section.appendChild(out);
		}
		root.appendChild(section);
		drawArrows();
		window.addEventListener('resize', drawArrows);
		/* Show first what a reader looks for: a thread on the wait-for
		 * cycle, else the first place the bug shows, else the last step. */
		var first = failing.length ? failing[0] : items[items.length - 1];
		bug.threads.forEach(function (th) {
			var seen = {}, cur = th.id;
			while (cur >= 0 && !seen[cur] && bug.threads[cur]) {
				seen[cur] = true;
				cur = bug.threads[cur].waits_for;
			}
			if (cur === th.id && boxes.end[th.id] && first && first.box.getAttribute('data-thread') !== null &&
				!first.inCycle) {
				items.forEach(function (it) { if (it.box === boxes.end[th.id]) { first = it; it.inCycle = true; } });
			}
		});
		if (first) {
			select(first, first.box);
			/* The timeline scrolls inside its own pane: bring the bug into view. */
			if (failing.length && first.box.offsetTop > wrap.clientHeight)
				wrap.scrollTop = first.box.offsetTop - wrap.clientHeight / 2;
		}
		/* Whether the pane shows the bug without scrolling (for tests). */
		var shown = first && first.box.offsetTop >= wrap.scrollTop &&
			first.box.offsetTop + first.box.offsetHeight <= wrap.scrollTop + wrap.clientHeight;
		return {lanes: nthreads, steps: bug.steps.length, failing: failing.map(function (f) { return f.title; }),
			arrows: arrows.length, shown: !!shown};
	}

	try {
		var data = JSON.parse(document.getElementById('weft-data').textContent);
		var app = document.getElementById('app');
		var drawn = [];
		data.bugs.forEach(function (bug, i) { drawn.push(drawBug(app, bug, i)); });
		var summary = el('div', 'summary', 'weft ' + (data.verdict === 'bug' ? 'found ' + data.bugs.length +
			' bug' + (data.bugs.length === 1 ? '' : 's') : data.verdict === 'ok' ? 'found no bug' : 'stopped with an error') +
			' in ' + data.executions + ' execution' + (data.executions === 1 ? '' : 's') + ' of ' +
			data.program.join(' ') + ': ' + data.summary + (data.coverage ? '. Coverage: ' + data.coverage : ''));
		app.appendChild(summary);
		statusEl.setAttribute('data-bugs', String(drawn.length));
		if (drawn.length) {
			statusEl.setAttribute('data-lanes', String(drawn[0].lanes));
			statusEl.setAttribute('data-steps', String(drawn[0].steps));
			statusEl.setAttribute('data-failing', drawn[0].failing.join(' | '));
			statusEl.setAttribute('data-arrows', String(drawn[0].arrows));
			statusEl.setAttribute('data-bug-in-view', drawn[0].shown ? 'yes' : 'no');
		}
		statusEl.setAttribute('data-drawn', 'yes');
		if (!errors.length) statusEl.setAttribute('data-errors', '0');
	} catch (e) {
		noteError(e && e.stack ? e.stack : e);
	}
})();
