// The roster import page's report words (chalicelib/web/static/admin_import.js, `importReport`), in node.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const report = require('../../chalicelib/web/static/admin_import.js');

const S = {
  lang: 'zh', failed: '导入失败：{message}', accepted: '已导入 {created} 人，更新 {updated} 人', rejected: '发现 {count} 个问题',
  whole_file: '整个文件', columns: {staff_no: '工号', birth_date: '出生日期'}
};

test('an accepted import says how many were created and updated', () => {
  assert.deepEqual(report.summary(true, {accepted: true, created: 3, updated: 0}, S),
    {text: '已导入 3 人，更新 0 人', cls: 'notice ok', problems: false});
});

test('a rejected import counts its problems and asks for the table', () => {
  const found = report.summary(true, {accepted: false, problems: [{}, {}]}, S);
  assert.deepEqual(found, {text: '发现 2 个问题', cls: 'notice bad', problems: true});
});

test('a refused request shows the API error message, or none', () => {
  const refused = {error: {code: 'payload_too_large', message: '文件太大', details: {}}};
  assert.equal(report.summary(false, refused, S).text, '导入失败：文件太大');
  assert.equal(report.summary(false, {}, S).text, '导入失败：');
  assert.equal(report.summary(false, null, S).text, '导入失败：');
  assert.equal(report.summary(false, refused, S).cls, 'notice bad');
});

test('a problem shows its row, its column label and the message in the page language', () => {
  const problem = {row: 7, column: 'birth_date', message_zh: '日期无效', message_en: 'Not a date'};
  assert.deepEqual(report.problemCells(problem, S), ['7', '出生日期', '日期无效']);
  assert.deepEqual(report.problemCells(problem, Object.assign({}, S, {lang: 'en'})), ['7', '出生日期', 'Not a date']);
  const whole = {row: null, column: null, message_zh: '空文件', message_en: 'Empty file'};
  assert.deepEqual(report.problemCells(whole, S), ['—', '整个文件', '空文件']);
  assert.deepEqual(report.problemCells({row: 2, column: 'hobby', message_zh: 'x'}, S), ['2', 'hobby', 'x']);
});

test('fill leaves a placeholder it has no value for', () => {
  assert.equal(report.fill('{a} and {b}', {a: 1}), '1 and {b}');
});
